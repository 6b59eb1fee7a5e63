// Prompt text → token ids, at the front doors. The byte tokenizer comes from `@oicf/tokenizer` (no
// onnxruntime in the router). Chat messages become text through chat-template.ts. Token ids → block ids is
// admission's job (`promptBlockIds` in @oicf/sched).
import { encode } from '@oicf/tokenizer';

/** Text → token ids (UTF-8 bytes, no specials). */
export function tokenize(text: string): number[] {
  return encode(text);
}
