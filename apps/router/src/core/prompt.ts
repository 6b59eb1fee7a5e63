// Prompt text → token ids, at the front doors. The byte tokenizer comes from `@oicf/tokenizer` (no
// onnxruntime in the router). Token ids → block ids is admission's job (`promptBlockIds` in @oicf/sched).
import { encode } from '@oicf/tokenizer';

export interface ChatMessage {
  readonly role: string;
  readonly content: string;
}

/**
 * The byte chat template of the router API contract: `<|role|>\n{content}\n` per message, then
 * `<|assistant|>\n` to open the reply. No BOS: text prompts are encoded as their bytes only.
 */
export function renderChat(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join('')}<|assistant|>\n`;
}

/** Text → token ids (UTF-8 bytes, no specials). */
export function tokenize(text: string): number[] {
  return encode(text);
}
