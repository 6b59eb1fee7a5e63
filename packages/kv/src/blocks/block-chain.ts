import { describe, KvError, requireInteger } from '../errors.js';
import { digestToHex, hexToDigest, isHex128 } from '../hash/hex.js';
import { murmur3x86_128, murmur3x86_128Words } from '../hash/murmur3-x86-128.js';

/**
 * Block ids: a hash chain over token ids.
 *
 *   id(block k) = MurmurHash3_x86_128(seed 0, bytes(id(block k-1)) ‖ u32le(token ids of block k))
 *   id(block -1) = the root id (16 zero bytes, or the hash of a namespace string)
 *
 * so an id stands for its block *and its whole prefix*: two sequences get the same id at
 * block k exactly when their first (k+1)·blockTokens tokens are equal (up to collisions).
 * Ids are 32 lower-case hex characters (the 16 digest bytes).
 *
 * Only full blocks get ids: a trailing partial block is never cached, because its KV would
 * change as soon as the next token arrives and it could not be shared with a longer prompt.
 *
 * Collisions: with 128-bit ids and n distinct blocks the chance of any collision is about
 * n²/2^129 (10^12 blocks: ~1.5·10^-15), negligible for accidental inputs. MurmurHash3 is NOT
 * cryptographic: someone who controls token ids can craft collisions and poison a shared
 * cache. Namespaces separate tenants and models; a deployment serving untrusted tenants from
 * one namespace should swap in a keyed or cryptographic hash (vLLM offers sha256 for this).
 */

export type BlockId = string;

export const DEFAULT_BLOCK_TOKENS = 64;
/** Parent of the first block when no namespace is given: 16 zero bytes. */
export const ROOT_BLOCK_ID: BlockId = '0'.repeat(32);
/** Largest accepted token id (ids are hashed as unsigned 32-bit words). */
export const MAX_TOKEN_ID = 0xffff_ffff;

export interface ChainOptions {
  /** Tokens per block, default 64. */
  blockTokens?: number;
  /** Id of the block just before `tokenIds[0]` (to extend a chain); default the namespace root. */
  parentId?: BlockId;
  /** Separates models, tenants or adapters: equal tokens in different namespaces get different ids. */
  namespace?: string;
}

export function isBlockId(value: unknown): value is BlockId {
  return isHex128(value);
}

/** Throws INVALID_ARGUMENT naming `field` unless `value` is a well-formed block id. */
export function requireBlockId(value: unknown, field: string): BlockId {
  if (!isHex128(value)) {
    throw new KvError(
      'INVALID_ARGUMENT',
      `${field} must be a block id (32 lower-case hex characters), got ${describe(value)}`,
      field,
    );
  }
  return value;
}

/** Root id for a namespace: '' → ROOT_BLOCK_ID, otherwise the hash of its UTF-8 bytes. */
export function rootBlockId(namespace = ''): BlockId {
  if (namespace === '') return ROOT_BLOCK_ID;
  return digestToHex(murmur3x86_128(new TextEncoder().encode(namespace), 0));
}

/** Number of full blocks in `numTokens` tokens. */
export function numFullBlocks(numTokens: number, blockTokens = DEFAULT_BLOCK_TOKENS): number {
  return Math.floor(numTokens / blockTokens);
}

/** Id of one block of tokens whose parent is `parentId`. */
export function blockIdFor(parentId: BlockId, tokenIds: ArrayLike<number>): BlockId {
  requireBlockId(parentId, 'parentId');
  const words = new Uint32Array(4 + tokenIds.length);
  words.set(hexToDigest(parentId), 0);
  copyTokens(tokenIds, 0, tokenIds.length, words, 'tokenIds');
  return digestToHex(murmur3x86_128Words(words, 0));
}

/** Ids of every full block of `tokenIds`, in order; the trailing partial block has none. */
export function chainBlockIds(tokenIds: ArrayLike<number>, options: ChainOptions = {}): BlockId[] {
  const blockTokens = requireInteger(options.blockTokens ?? DEFAULT_BLOCK_TOKENS, 'options.blockTokens', 1, 1 << 20);
  let parent =
    options.parentId === undefined
      ? rootBlockId(options.namespace)
      : requireBlockId(options.parentId, 'options.parentId');
  const numBlocks = numFullBlocks(tokenIds.length, blockTokens);
  const ids: BlockId[] = new Array(numBlocks);
  const words = new Uint32Array(4 + blockTokens);
  // The parent's digest is carried forward as words; only the first parent is parsed from hex.
  let digest = hexToDigest(parent);
  for (let b = 0; b < numBlocks; b++) {
    words.set(digest, 0);
    copyTokens(tokenIds, b * blockTokens, blockTokens, words, 'tokenIds');
    digest = murmur3x86_128Words(words, 0);
    parent = digestToHex(digest);
    ids[b] = parent;
  }
  return ids;
}

/** Copies tokens[from, from+count) into words[4..], validating each as a uint32. */
function copyTokens(tokens: ArrayLike<number>, from: number, count: number, words: Uint32Array, field: string): void {
  for (let i = 0; i < count; i++) {
    const t = tokens[from + i] as number;
    if (t >>> 0 !== t) {
      throw new KvError(
        'INVALID_ARGUMENT',
        `${field}[${from + i}] must be an integer token id in [0, ${MAX_TOKEN_ID}], got ${describe(t)}`,
        `${field}[${from + i}]`,
      );
    }
    words[4 + i] = t;
  }
}
