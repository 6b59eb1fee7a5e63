import { describe, KvError, requireInteger } from '../errors.js';
import { murmur3x86_128 } from '../hash/murmur3-x86-128.js';
import { type BlockId, chainBlockIds, DEFAULT_BLOCK_TOKENS } from './block-chain.js';
import { Xoshiro128 } from './prng.js';

/**
 * Mooncake traces carry `hash_ids`: one id per 512-token block, each covering its block and
 * every block before it. To replay them through real KV blocks, each hash id is mapped to a
 * deterministic synthetic run of 512 token ids (a PRNG seeded by the id), so equal hash ids
 * yield equal tokens and therefore equal chained block ids at any project block size.
 *
 * Synthetic tokens lie in [0, vocabSize), default 256: the byte tokens of the project's
 * byte-level tokenizer, so they stay valid input for the tiny models. Two different hash ids
 * produce equal 512-token runs with probability about 256^-512, i.e. never.
 */

export const MOONCAKE_BLOCK_TOKENS = 512;
/** Byte tokens of the byte-level tokenizer (specials excluded). */
export const DEFAULT_SYNTHETIC_VOCAB = 256;

export type MooncakeHashId = number | string;

export interface SyntheticTokenOptions {
  /** Token ids are drawn uniformly from [0, vocabSize); default 256. */
  vocabSize?: number;
}

/**
 * The synthetic tokens of one Mooncake hash id. A number and its decimal string name the
 * same id (`7` ≡ `'7'`); the tokens depend only on the id, never on where it appears.
 */
export function tokensForHashId(
  hashId: MooncakeHashId,
  blockTokens = MOONCAKE_BLOCK_TOKENS,
  options: SyntheticTokenOptions = {},
): Uint32Array {
  requireInteger(blockTokens, 'blockTokens', 1, 1 << 20);
  const vocabSize = requireInteger(options.vocabSize ?? DEFAULT_SYNTHETIC_VOCAB, 'options.vocabSize', 1, 0x1_0000_0000);
  const rng = new Xoshiro128(seedFor(hashId, 'hashId'));
  const out = new Uint32Array(blockTokens);
  for (let i = 0; i < blockTokens; i++) out[i] = rng.nextBelow(vocabSize);
  return out;
}

export interface MooncakeRequestBlocks {
  /** The request's synthetic prompt, `inputLength` tokens. */
  tokenIds: Uint32Array;
  /** Chained ids of its full project blocks (`floor(inputLength / blockTokens)` of them). */
  blockIds: BlockId[];
  /** Tokens after the last full block; they get no id and are not cached. */
  numTailTokens: number;
}

export interface MooncakeBlockOptions extends SyntheticTokenOptions {
  namespace?: string;
}

/**
 * Maps one Mooncake request onto project blocks: concatenates the synthetic tokens of its
 * hash ids (the last Mooncake block may be partial: only its first tokens are used), cuts
 * the prompt to `inputLength` tokens and chains ids over blocks of `blockTokens` (default 64).
 * Requires `hashIds.length === ceil(inputLength / 512)`, which holds for every row of the
 * published FAST'25 traces.
 */
export function blocksForMooncakeRequest(
  hashIds: readonly MooncakeHashId[],
  inputLength: number,
  blockTokens = DEFAULT_BLOCK_TOKENS,
  options: MooncakeBlockOptions = {},
): MooncakeRequestBlocks {
  requireInteger(inputLength, 'inputLength', 0);
  requireInteger(blockTokens, 'blockTokens', 1, 1 << 20);
  const expected = Math.ceil(inputLength / MOONCAKE_BLOCK_TOKENS);
  if (hashIds.length !== expected) {
    throw new KvError(
      'INVALID_ARGUMENT',
      `hashIds has ${hashIds.length} ids but inputLength ${inputLength} needs ceil(${inputLength}/512) = ${expected}`,
      'hashIds',
    );
  }
  const tokenIds = new Uint32Array(inputLength);
  hashIds.forEach((id, k) => {
    const start = k * MOONCAKE_BLOCK_TOKENS;
    const run = tokensForHashId(id, MOONCAKE_BLOCK_TOKENS, options);
    tokenIds.set(run.subarray(0, Math.min(MOONCAKE_BLOCK_TOKENS, inputLength - start)), start);
  });
  const chainOptions =
    options.namespace === undefined ? { blockTokens } : { blockTokens, namespace: options.namespace };
  const blockIds = chainBlockIds(tokenIds, chainOptions);
  return { tokenIds, blockIds, numTailTokens: inputLength - blockIds.length * blockTokens };
}

function seedFor(hashId: unknown, field: string): [number, number, number, number] {
  let text: string;
  if (typeof hashId === 'number' && Number.isSafeInteger(hashId) && hashId >= 0) text = String(hashId);
  else if (typeof hashId === 'string' && hashId.length > 0 && hashId.length <= 256) text = hashId;
  else {
    throw new KvError(
      'INVALID_ARGUMENT',
      `${field} must be a non-negative safe integer or a non-empty string (≤ 256 chars), got ${describe(hashId)}`,
      field,
    );
  }
  const d = murmur3x86_128(new TextEncoder().encode(`mooncake-hash-id:${text}`), 0);
  return [d[0], d[1], d[2], d[3]];
}
