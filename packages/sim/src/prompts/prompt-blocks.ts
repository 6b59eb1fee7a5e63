// A trace request's prompt as the twin hands it to Admission and the workers: its length, the ids of its
// full KV blocks, and its tokens, of which the fast naming keeps only the tail after the last full block.
// Every consumer of the prompt in the twin reads the leading tokens only through the block ids (Admission's
// precheck takes them as `promptBlockIds`, the caches key by id) and the tail only when a finished request's
// blocks are extended by its output (`extendedBlockIds`); a read of anything else throws.
//
// Two ways to name the blocks:
//   exact  the ids the real router computes for the prompt `oicf replay` sends (@oicf/loadgen
//          promptTokenIds → @oicf/kv chainBlockIds): 10–15 ns per token, ~6 s for the whole Mooncake
//          conversation trace with token generation;
//   fast   the same hash chain over a description of each block instead of its tokens: the prompt is a
//          run of trace blocks (each trace id's tokens are a fixed PRNG stream), so a 64-token block is
//          named by the pieces of trace ids it covers (id, offset, length). Two prompts share a fast id at
//          block k exactly when they share an exact one (equal pieces ⇔ equal tokens, up to hash
//          collisions), and no decision reads an id's value, only its equality, so decisions are the same
//          (a test checks whole reports). ~0.15 µs per block.
import { chainBlockIds, digestToHex, hexToDigest, murmur3x86_128Words, ROOT_BLOCK_ID, tokensForHashId } from '@oicf/kv';
import { promptTokenIds } from '@oicf/loadgen';
import type { TraceRequest } from '@oicf/traces';

export type BlockIdMode = 'exact' | 'fast';

export interface SimPrompt {
  readonly numTokens: number;
  /** Ids of the prompt's full blocks, in order. */
  readonly blockIds: readonly string[];
  /**
   * `numTokens` long. Exact: every token. Fast: only the tokens after the last full block (and the last
   * token) can be read; the rest throw (see tailPrompt).
   */
  readonly tokenIds: readonly number[];
}

/** Tokens of the unshared run `promptTokenIds` appends after the trace's block ids (512 per run). */
const UNSHARED_RUN_TOKENS = 512;

/** Where the prompt's tokens come from: consecutive pieces of deterministic token streams. */
interface Segment {
  /** The stream's key: a trace block id (a number, or text), or `unshared:<request>:<k>`. */
  readonly key: string | number;
  /** Tokens of the stream used (from its start). */
  readonly numTokens: number;
}

function segments(request: TraceRequest): Segment[] {
  const out: Segment[] = [];
  let filled = 0;
  const total = request.inputTokens;
  const bt = request.blockTokens;
  if (request.blockHashes !== undefined && bt !== undefined) {
    for (const id of request.blockHashes) {
      if (filled >= total) break;
      const n = Math.min(bt, total - filled);
      // A number and its decimal text name the same stream (tokensForHashId): key them alike.
      out.push({
        key: typeof id === 'string' && String(Number(id)) === id ? Number(id) : id,
        numTokens: n,
      });
      filled += n;
    }
  }
  for (let k = 0; filled < total; k++) {
    const n = Math.min(UNSHARED_RUN_TOKENS, total - filled);
    out.push({ key: `unshared:${request.requestId}:${k}`, numTokens: n });
    filled += n;
  }
  return out;
}

/**
 * A prompt of `length` tokens of which only [tailFrom, length) are held, as an array-like for the code that
 * takes `readonly number[]`: its length, `slice` and reads of the tail work; anything else (a read before
 * the tail, iteration, any other method) throws, so no reader can silently see a missing token. A real
 * array of a 12k-token prompt costs ~100 µs to allocate; this costs ~2 µs.
 */
function tailPrompt(length: number, tailFrom: number, tail: readonly number[]): readonly number[] {
  const missing = (what: string): never => {
    throw new Error(`the twin holds only a prompt's length and its tail (tokens ${tailFrom}..${length}): ${what}`);
  };
  const slice = (start = 0, end = length) => {
    const s = start < 0 ? Math.max(0, length + start) : Math.min(start, length);
    const e = end < 0 ? Math.max(0, length + end) : Math.min(end, length);
    if (e <= s) return [];
    if (s < tailFrom) missing(`slice(${start}, ${end})`);
    return tail.slice(s - tailFrom, e - tailFrom);
  };
  return new Proxy(tail as number[], {
    get(target, prop) {
      if (prop === 'length') return length;
      if (prop === 'slice') return slice;
      if (typeof prop === 'string') {
        const i = Number(prop);
        if (Number.isInteger(i) && i >= 0) {
          if (i >= length) return undefined;
          if (i < tailFrom) missing(`token ${i}`);
          return target[i - tailFrom];
        }
      }
      return missing(`'${String(prop)}'`);
    },
  });
}

/** Names prompts; one instance per run (it interns trace block ids into small integers). */
export class PromptNamer {
  private readonly interned = new Map<string | number, number>();

  constructor(
    readonly mode: BlockIdMode,
    private readonly blockTokens: number,
  ) {}

  prompt(request: TraceRequest): SimPrompt {
    return this.mode === 'exact' ? this.exact(request) : this.fast(request);
  }

  private exact(request: TraceRequest): SimPrompt {
    const tokenIds = promptTokenIds(request);
    return {
      numTokens: tokenIds.length,
      blockIds: chainBlockIds(tokenIds, { blockTokens: this.blockTokens }),
      tokenIds,
    };
  }

  private fast(request: TraceRequest): SimPrompt {
    const bt = this.blockTokens;
    const total = request.inputTokens;
    const segs = segments(request);
    const numBlocks = Math.floor(total / bt);
    const blockIds = new Array<string>(numBlocks);
    // Words hashed per block: the parent's digest, then (key, offset, length) per piece.
    const words: number[] = [];
    let parent = hexToDigest(ROOT_BLOCK_ID);
    let seg = 0;
    let offset = 0;
    for (let b = 0; b < numBlocks; b++) {
      words.length = 0;
      words.push(parent[0], parent[1], parent[2], parent[3]);
      let need = bt;
      while (need > 0) {
        const s = segs[seg] as Segment;
        const take = Math.min(need, s.numTokens - offset);
        words.push(this.internCached(s.key), offset, take);
        need -= take;
        offset += take;
        if (offset === s.numTokens) {
          seg++;
          offset = 0;
        }
      }
      parent = murmur3x86_128Words(words, 0);
      blockIds[b] = digestToHex(parent);
    }
    // The tail after the last full block (and the last token always): real tokens, from where the walk stopped.
    const tailFrom = Math.min(numBlocks * bt, total - 1);
    if (tailFrom < numBlocks * bt) {
      // The last full block ends the prompt: step back into it for its last token.
      seg = segs.length - 1;
      offset = (segs[seg] as Segment).numTokens - 1;
    }
    const tail: number[] = [];
    let at = tailFrom;
    while (at < total) {
      const s = segs[seg] as Segment;
      // A stream's first n tokens do not depend on how long a run is asked for (one PRNG stream per key).
      const run = tokensForHashId(s.key, s.numTokens);
      for (let i = offset; i < s.numTokens && at < total; i++, at++) tail.push(run[i] as number);
      seg++;
      offset = 0;
    }
    const tokenIds = tailPrompt(total, tailFrom, tail);
    return { numTokens: total, blockIds, tokenIds };
  }

  private intern(key: string | number): number {
    let id = this.interned.get(key);
    if (id === undefined) {
      id = this.interned.size + 1;
      this.interned.set(key, id);
    }
    return id;
  }

  /** The last key interned and its id (consecutive blocks of one trace block ask for it again). */
  private lastKey: string | number = '';
  private lastId = 0;

  private internCached(key: string | number): number {
    if (key === this.lastKey) return this.lastId;
    const id = this.intern(key);
    this.lastKey = key;
    this.lastId = id;
    return id;
  }
}
