import { payloadChecksum } from '@oicf/pool-client';
import type { KvHandoff__Output, KvHandoffAck } from '@oicf/proto';
import { OicfError, toOicfError } from '@oicf/transport';
import type { PayloadPool } from '@oicf/worker';

/**
 * Copies an extent of the sender's segment into `into` (same-host handoff: the frame carries an extent instead of the
 * payload); returns XXH32 (seed 0) of the copy when it computed it during the copy (a mapped segment: one pass), else
 * undefined (the store hashes the copy). Throws when the extent is not readable (the frame is then refused). A
 * promise: the copy and hash run off this thread (MappedFile.readHashedAsync); `into` is written until it settles.
 */
export type ExtentReader = (
  into: Uint8Array,
  extent: { segmentId: number; offset: number; length: number },
) => number | undefined | Promise<number>;

/** How to answer a received frame: nothing yet, the ack (last frame), or an error frame. */
export type HandoffReply =
  | { readonly kind: 'none' }
  | { readonly kind: 'ack'; readonly ack: KvHandoffAck }
  | { readonly kind: 'error'; readonly error: OicfError };

/**
 * A frame accepted in arrival order whose bytes are copied (and hashed) but not yet verified: frames are verified and
 * kept strictly in arrival order (HandoffStore.drain), whenever their copies finish. Its payload is a pooled buffer
 * that nothing else may use until `settled`: a copy on the thread pool is still writing it.
 */
export interface CopiedFrame {
  readonly firstToken: number;
  readonly numTokens: number;
  readonly checksum: number;
  readonly last: boolean;
  readonly range: string;
  readonly payload: Uint8Array;
  /** The copy finished (sum or failure known). */
  settled: boolean;
  /** XXH32 of the copy, once settled without failure. */
  sum: number;
  failure: OicfError | undefined;
  /** Its handoff was dropped, restarted or failed before it was verified: release the payload once settled. */
  orphan: boolean;
  reply: HandoffReply | undefined;
  onReply: ((r: HandoffReply) => void) | undefined;
}

/**
 * Copies a checked frame's bytes into a pooled buffer: inline bytes (copied and hashed now), or an extent through
 * `readExtent` (now, or on the thread pool when it returns a promise). A string problem when the extent cannot be
 * read at all (the frame is refused at once); otherwise the frame, `settled` unless its copy still runs (then
 * `running` resolves once it is).
 */
export function copyFrame(
  pool: PayloadPool,
  b: KvHandoff__Output,
  range: string,
  readExtent: ExtentReader | undefined,
): { problem: OicfError } | { frame: CopiedFrame; running?: Promise<void> } {
  const base = {
    firstToken: b.firstToken,
    numTokens: b.numTokens,
    checksum: b.checksum >>> 0,
    last: b.last,
    range,
    settled: true,
    sum: 0,
    failure: undefined,
    orphan: false,
    reply: undefined,
    onReply: undefined,
  };
  if (b.shm === null) {
    const payload = pool.copy(b.payload);
    return { frame: { ...base, payload, sum: payloadChecksum(payload) >>> 0 } };
  }
  // Same host: one copy, out of the sender's segment into a pooled buffer, verified like any frame.
  if (readExtent === undefined) {
    const problem = new OicfError(
      'FAILED_PRECONDITION',
      `kv.handoff ${range} names an extent, but this connection has no shared-memory link (send kv.hello first)`,
      { field: 'body.shm' },
    );
    return { problem };
  }
  const payload = pool.acquire(b.shm.length);
  let copied: number | undefined | Promise<number>;
  try {
    copied = readExtent(payload, b.shm);
  } catch (err) {
    pool.release(payload);
    return { problem: toOicfError(err) };
  }
  // The XXH32 of the copy (never of the sender's segment, which it may still write).
  if (!(copied instanceof Promise))
    return { frame: { ...base, payload, sum: (copied ?? payloadChecksum(payload)) >>> 0 } };
  const frame: CopiedFrame = { ...base, payload, settled: false };
  const running = copied.then(
    (sum) => {
      frame.sum = sum >>> 0;
      frame.settled = true;
    },
    (err: unknown) => {
      frame.failure = toOicfError(err);
      frame.settled = true;
    },
  );
  return { frame, running };
}

/** The problem with a settled frame's copy (the read failed, or its XXH32 differs), or undefined. */
export function copyProblem(f: CopiedFrame): OicfError | undefined {
  if (f.failure !== undefined) return f.failure;
  if (f.sum === f.checksum) return undefined;
  return new OicfError(
    'CHECKSUM_MISMATCH',
    `kv.handoff ${f.range} failed its XXH32 check: the KV was corrupted in transit; the decode worker recomputes it`,
    { field: 'body.payload' },
  );
}

/** Settles a frame's reply (the data plane answers the sender with it). */
export function answer(f: CopiedFrame, reply: HandoffReply): void {
  f.reply = reply;
  f.onReply?.(reply);
}
