// Prompt → token ids → block ids. The byte tokenizer comes from `@oicf/kernels/tokenizer` (no
// onnxruntime in the router); block ids are `@oicf/kv`'s hash chain over token ids with the root
// namespace, exactly as the workers and the pool compute them, so equal ids mean equal prefixes.
import { encode } from '@oicf/kernels/tokenizer';
import { chainBlockIds } from '@oicf/kv';

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

/** Hash-chain ids of the prompt's full blocks (the trailing partial block has none). */
export function promptBlockIds(tokenIds: readonly number[], blockTokens: number): string[] {
  return chainBlockIds(tokenIds, { blockTokens });
}
