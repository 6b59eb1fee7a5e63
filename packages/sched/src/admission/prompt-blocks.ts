// Prompt token ids → block ids: `@oicf/kv`'s hash chain over token ids with the root namespace, exactly as
// the workers and the pool compute them, so equal ids mean equal prefixes.
import { chainBlockIds } from '@oicf/kv';

/** Hash-chain ids of the prompt's full blocks (the trailing partial block has none). */
export function promptBlockIds(tokenIds: readonly number[], blockTokens: number): string[] {
  // A prompt shorter than a block (the short requests of agentic traffic) has none: nothing to hash.
  if (Number.isInteger(blockTokens) && blockTokens >= 1 && tokenIds.length < blockTokens) return [];
  return chainBlockIds(tokenIds, { blockTokens });
}

/**
 * Block ids of `prompt ‖ appended` given the prompt's own ids (`promptBlockIds(prompt, blockTokens)`):
 * equal to `promptBlockIds([...prompt, ...appended], blockTokens)` but hashing only the tokens after
 * the prompt's last full block, chained from its id. The request path calls this when a request
 * finishes, so a long prompt is hashed once per request instead of twice (≈ 15 ns per token here).
 */
export function extendedBlockIds(
  promptIds: readonly string[],
  prompt: readonly number[],
  appended: readonly number[],
  blockTokens: number,
): string[] {
  const from = promptIds.length * blockTokens;
  const tail = [...prompt.slice(from), ...appended];
  if (tail.length < blockTokens) return [...promptIds];
  const parentId = promptIds.length > 0 ? (promptIds[promptIds.length - 1] as string) : undefined;
  return [...promptIds, ...chainBlockIds(tail, { blockTokens, ...(parentId === undefined ? {} : { parentId }) })];
}
