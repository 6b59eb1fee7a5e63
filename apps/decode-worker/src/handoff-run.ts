import { blockChecksum } from '@oicf/kv';
import type { KvHandoff__Output } from '@oicf/proto';
import { OicfError, toOicfError } from '@oicf/transport';
import type { PayloadPool } from '@oicf/worker';

/**
 * 4 MiB: the longest kv.handoff run (several consecutive blocks in one frame) a decode worker takes, announced
 * in kv.hello.ack (max_run_bytes). Senders default to 1 MiB runs; the cap bounds what one frame makes the
 * receiver acquire before it can check anything.
 */
export const MAX_HANDOFF_RUN_BYTES = 4 * 2 ** 20;

/**
 * Copies a frame's bytes out of the sender's shared-memory segment (same-host handoff: the frame carries
 * an extent instead of the payload) into `into`, one buffer per block, back to back. Throws when the extent
 * is not readable (the frame is then refused).
 */
export type ExtentReader = (
  into: readonly Uint8Array[],
  extent: { segmentId: number; offset: number; length: number },
) => void;

/** One block of a frame: its own (fields 2-5), then each of more_blocks, back to back. */
export interface RunBlock {
  readonly firstToken: number;
  readonly numTokens: number;
  readonly checksum: number;
}

/** The verified blocks of one frame, in token order, and why the rest were refused (none: all verified). */
export interface TakenRun {
  readonly blocks: ReadonlyArray<RunBlock & { readonly payload: Uint8Array }>;
  readonly problem: OicfError | undefined;
}

/**
 * Checks one kv.handoff frame (one block, or a run) and copies its bytes into pooled buffers: the shape first
 * (contiguous with `nextToken`, every block numTokens × kvBytesPerToken, the run within `maxRunBytes`; a bad
 * shape refuses the whole frame), then each block's XXH32 in order. A block that fails refuses itself and
 * every later block of the frame; the blocks before it are kept (returned with the problem).
 */
export function takeRun(
  b: KvHandoff__Output,
  options: {
    readonly nextToken: number | undefined;
    readonly kvBytesPerToken: number;
    readonly maxRunBytes: number;
    readonly pool: PayloadPool;
    readonly readExtent: ExtentReader | undefined;
  },
): TakenRun {
  const blocks: RunBlock[] = [{ firstToken: b.firstToken, numTokens: b.numTokens, checksum: b.checksum }];
  let end = b.firstToken + b.numTokens;
  for (const m of b.moreBlocks) {
    blocks.push({ firstToken: end, numTokens: m.numTokens, checksum: m.checksum });
    end += m.numTokens;
  }
  const range = `tokens [${b.firstToken}, ${end}) of ${b.requestId}`;
  const refuse = (code: 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION', message: string, field: string): TakenRun => ({
    blocks: [],
    problem: new OicfError(code, `kv.handoff ${range}${message}`, { field }),
  });
  if (options.nextToken !== undefined && b.firstToken !== options.nextToken) {
    return refuse(
      'INVALID_ARGUMENT',
      ` does not follow the previous frame (expected token ${options.nextToken})`,
      'body.firstToken',
    );
  }
  const numBytes = b.shm === null ? b.payload.byteLength : b.shm.length;
  const field = b.shm === null ? 'body.payload' : 'body.shm';
  if (blocks.length > 1 && numBytes > options.maxRunBytes) {
    return refuse(
      'INVALID_ARGUMENT',
      `: a run of ${blocks.length} blocks in ${numBytes} bytes is longer than this decode worker takes in one frame (${options.maxRunBytes} bytes, kv.hello.ack max_run_bytes)`,
      'body.moreBlocks',
    );
  }
  const expected = (end - b.firstToken) * options.kvBytesPerToken;
  if (blocks.some((x) => x.numTokens === 0) || numBytes !== expected) {
    const of = blocks.map((x) => x.numTokens).join(' + ');
    return refuse(
      'INVALID_ARGUMENT',
      `: payload is ${numBytes} bytes, expected (${of}) × ${options.kvBytesPerToken} (no block may be empty)`,
      field,
    );
  }
  if (b.shm !== null && options.readExtent === undefined) {
    return refuse(
      'FAILED_PRECONDITION',
      ' names an extent, but this connection has no shared-memory link (send kv.hello first)',
      'body.shm',
    );
  }
  const payloads = blocks.map((x) => options.pool.acquire(x.numTokens * options.kvBytesPerToken));
  try {
    if (b.shm === null) {
      let at = 0;
      for (const p of payloads) {
        p.set(b.payload.subarray(at, at + p.byteLength));
        at += p.byteLength;
      }
    } else options.readExtent?.(payloads, b.shm);
  } catch (err) {
    for (const p of payloads) options.pool.release(p);
    return { blocks: [], problem: toOicfError(err) };
  }
  const kept: Array<RunBlock & { payload: Uint8Array }> = [];
  for (let i = 0; i < blocks.length; i++) {
    const x = blocks[i] as RunBlock;
    const payload = payloads[i] as Uint8Array;
    if (blockChecksum(payload) >>> 0 === x.checksum >>> 0) {
      kept.push({ ...x, payload });
      continue;
    }
    for (const p of payloads.slice(i)) options.pool.release(p);
    const where = blocks.length === 1 ? '' : ` (block ${i} of the frame's ${blocks.length})`;
    const problem = new OicfError(
      'CHECKSUM_MISMATCH',
      `kv.handoff tokens [${x.firstToken}, ${x.firstToken + x.numTokens}) of ${b.requestId}${where} failed its XXH32 check: the KV was corrupted in transit; the decode worker recomputes it`,
      { field: i === 0 ? field : `body.moreBlocks[${i - 1}]` },
    );
    return { blocks: kept, problem };
  }
  return { blocks: kept, problem: undefined };
}
