import type { TierId } from '@oicf/core';
import { isBlockId } from '@oicf/kv';
import { OicfError } from '@oicf/transport';
import type { BlockCallOptions, BlockChannel, BlockGetOptions } from './block-channel.js';
import { GetTargets } from './block-targets.js';
import { type BlockProblem, checkBlock, checksumMatches } from './verify-block.js';

/** A block to fetch: its chain id, position and size, as the fetcher expects it. */
export interface BlockToFetch {
  readonly blockId: string;
  readonly firstToken: number;
  readonly numTokens: number;
}

export interface FetchedBlock extends BlockToFetch {
  /** Verified payload (a view into the received frame). */
  readonly payload: Uint8Array;
}

export interface FetchOutcome {
  /** The longest run of verified blocks from the first one asked for, in chain order. */
  readonly blocks: readonly FetchedBlock[];
  /** Every block that could not be used, and why ('missing' = the holder did not have it or failed it). */
  readonly problems: readonly { blockId: string; problem: BlockProblem | 'missing' }[];
  /** Payload bytes received in verified blocks (used or not). */
  readonly bytesReceived: number;
}

/**
 * A chain prefix from one holder (the pool, or a decode worker's block cache). Each block is checked
 * against what was asked at its position (id, token count, payload size, XXH32); a failure is a miss,
 * never used. Blocks after the first miss are dropped too: KV is only useful as a prefix. With `into`, as for
 * getBlocks: each used payload is its target's first bytes, a refused block read there leaves zeros, and a
 * target too small for its block is a miss ('missing' when the channel refused to read it, 'size' otherwise).
 */
export async function fetchBlocks(
  channel: BlockChannel,
  request: { blocks: readonly BlockToFetch[]; leaseId?: string; kvBytesPerToken: number } & BlockGetOptions,
): Promise<FetchOutcome> {
  if (request.blocks.length === 0) return { blocks: [], problems: [], bytesReceived: 0 };
  const wanted = new Map(request.blocks.map((b, i) => [b.blockId, i]));
  const got: (FetchedBlock | undefined)[] = new Array(request.blocks.length);
  const problems: { blockId: string; problem: BlockProblem | 'missing' }[] = [];
  let bytesReceived = 0;
  const targets = request.into === undefined ? undefined : new GetTargets(request.into);
  const events = channel.get(
    { blockIds: request.blocks.map((b) => b.blockId), leaseId: request.leaseId ?? '' },
    { ...callOptionsOf(request), ...(targets !== undefined ? { into: targets.forChannel } : {}) },
  );
  for await (const event of events) {
    if (event.kind === 'block') {
      const index = wanted.get(event.blockId);
      const expected = index === undefined ? undefined : request.blocks[index];
      if (index === undefined || expected === undefined || got[index] !== undefined) {
        problems.push({ blockId: event.blockId, problem: 'identity' });
        continue;
      }
      const problem = checkBlock(expected, event, request.kvBytesPerToken);
      if (problem !== undefined) {
        targets?.refuse(expected.blockId, event.payload);
        problems.push({ blockId: expected.blockId, problem });
        continue;
      }
      const payload = targets === undefined ? event.payload : targets.place(expected.blockId, event.payload);
      if (payload instanceof OicfError) {
        problems.push({ blockId: expected.blockId, problem: 'size' });
        continue;
      }
      bytesReceived += event.payload.byteLength;
      got[index] = { ...expected, payload };
    } else if (event.kind === 'error') {
      problems.push({ blockId: event.blockId, problem: 'missing' });
    } else {
      for (const id of event.missingBlockIds) problems.push({ blockId: id, problem: 'missing' });
    }
  }
  const blocks: FetchedBlock[] = [];
  for (const b of got) {
    if (b === undefined) break;
    blocks.push(b);
  }
  // Blocks never mentioned by the holder are misses as well.
  const mentioned = new Set(problems.map((p) => p.blockId));
  request.blocks.forEach((b, i) => {
    if (got[i] === undefined && !mentioned.has(b.blockId)) problems.push({ blockId: b.blockId, problem: 'missing' });
  });
  return { blocks, problems, bytesReceived };
}

export interface GetOutcome {
  /** Verified payloads by block id, in the order received. */
  readonly blocks: Map<string, Uint8Array>;
  readonly missingBlockIds: string[];
  /** Blocks the holder reported failing (kv.error), or that failed verification here. */
  readonly failed: { blockId: string; error: OicfError | string }[];
  /** Tier each verified block came from. */
  readonly tiers: Map<string, TierId | undefined>;
}

/**
 * Any blocks by id, in the order asked (tools, tests, benchmarks: callers that do not know sizes).
 * Every block received is verified before it is returned: its id must be one asked for, not seen
 * before, and its payload must match its XXH32 checksum; a block that fails is reported in `failed`
 * and never handed out. With `into`, each returned payload is the first bytes of its target (read there
 * by a shared-memory channel, copied there otherwise); a refused block's target range is zero-filled when it
 * was read there, a block whose target is too small is in `failed` (INVALID_ARGUMENT) and its target untouched.
 */
export async function getBlocks(
  channel: BlockChannel,
  blockIds: readonly string[],
  options: { leaseId?: string } & BlockGetOptions = {},
): Promise<GetOutcome> {
  const outcome: GetOutcome = { blocks: new Map(), missingBlockIds: [], failed: [], tiers: new Map() };
  const wanted = new Set(blockIds);
  const targets = options.into === undefined ? undefined : new GetTargets(options.into);
  const getOptions = { ...callOptionsOf(options), ...(targets !== undefined ? { into: targets.forChannel } : {}) };
  for await (const event of channel.get({ blockIds, leaseId: options.leaseId ?? '' }, getOptions)) {
    if (event.kind === 'block') {
      const { blockId } = event;
      if (!isBlockId(blockId) || !wanted.has(blockId) || outcome.blocks.has(blockId)) {
        outcome.failed.push({ blockId, error: 'unrequested block id' });
      } else if (!checksumMatches(event)) {
        targets?.refuse(blockId, event.payload);
        outcome.failed.push({ blockId, error: 'checksum mismatch on receipt' });
      } else {
        const payload = targets === undefined ? event.payload : targets.place(blockId, event.payload);
        if (payload instanceof OicfError) {
          outcome.failed.push({ blockId, error: payload });
          continue;
        }
        outcome.blocks.set(blockId, payload);
        outcome.tiers.set(blockId, event.tier);
      }
    } else if (event.kind === 'error') {
      outcome.failed.push({ blockId: event.blockId, error: event.error });
    } else {
      outcome.missingBlockIds.push(...event.missingBlockIds);
    }
  }
  return outcome;
}

function callOptionsOf(o: BlockCallOptions): BlockCallOptions {
  return {
    ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
    ...(o.signal !== undefined ? { signal: o.signal } : {}),
  };
}
