import { blockChecksum } from '@oicf/kv';
import type { KvHandoff__Output, KvHandoffAck } from '@oicf/proto';
import { type Clock, OicfError, toOicfError } from '@oicf/transport';
import type { PayloadPool } from '@oicf/worker';

/** One verified kv.handoff frame: KV of tokens [firstToken, firstToken + numTokens) of the prompt. */
export interface HandoffFrame {
  readonly firstToken: number;
  readonly numTokens: number;
  readonly payload: Uint8Array;
}

/**
 * What a Decode call gets: every frame, or the verified run before a rejected one. The payloads are
 * pooled buffers: call `release` once they are imported.
 */
export type HandoffResult = (
  | { readonly kind: 'complete'; readonly frames: readonly HandoffFrame[]; readonly numBytes: number }
  | { readonly kind: 'failed'; readonly frames: readonly HandoffFrame[]; readonly error: OicfError }
) & { readonly release: () => void };

/**
 * Copies a frame's bytes out of the sender's shared-memory segment (same-host handoff: the frame carries
 * an extent instead of the payload). Throws when the extent is not readable (the frame is then refused).
 */
export type ExtentReader = (into: Uint8Array, extent: { segmentId: number; offset: number; length: number }) => void;

/** How to answer a received frame: nothing yet, the ack (last frame), or an error frame. */
export type HandoffReply =
  | { readonly kind: 'none' }
  | { readonly kind: 'ack'; readonly ack: KvHandoffAck }
  | { readonly kind: 'error'; readonly error: OicfError };

interface State {
  frames: HandoffFrame[];
  nextToken: number | undefined;
  numBytes: number;
  result: HandoffResult | undefined;
  createdAtSeconds: number;
  claimed: boolean;
  waiter: ((r: HandoffResult) => void) | undefined;
}

/**
 * The decode side of the KV handoff. Frames of one request arrive in token order; each is checked
 * (contiguous with the previous one, payload = numTokens × kvBytesPerToken, XXH32) before it is kept.
 * A frame that fails ends that handoff: the sender gets an error frame (CHECKSUM_MISMATCH or
 * INVALID_ARGUMENT), later frames of the request are ignored, and the Decode call imports the verified
 * frames and recomputes the rest. The last frame completes the handoff and is acknowledged.
 *
 * Each verified payload is copied once into a pooled, aligned buffer (see PayloadPool: holding the
 * received WebSocket messages instead would make V8 run full collections), and checked there.
 *
 * Frames may arrive before their Decode call (buffered until claimed, dropped after `ttlSeconds` if
 * nobody claims them, counted by `onExpired`) or after it (`wait` resolves when they complete).
 */
export class HandoffStore {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly options: {
      readonly clock: Clock;
      readonly kvBytesPerToken: number;
      readonly ttlSeconds: number;
      readonly pool: PayloadPool;
      readonly onExpired?: (requestId: string, numBytes: number) => void;
      readonly onVerified?: (numBytes: number) => void;
      readonly onRejected?: (requestId: string, error: OicfError) => void;
    },
  ) {}

  /** Handoffs held (received frames not yet claimed, or claimed and still arriving). */
  get size(): number {
    return this.states.size;
  }

  /** Payload bytes buffered for unclaimed handoffs. */
  get bufferedBytes(): number {
    let n = 0;
    for (const s of this.states.values()) if (!s.claimed) n += s.numBytes;
    return n;
  }

  /** Checks and keeps one frame; `readExtent` serves frames that name an extent of the sender's segment. */
  receive(body: KvHandoff__Output, readExtent?: ExtentReader): HandoffReply {
    const id = body.requestId;
    if (id === '')
      return {
        kind: 'error',
        error: new OicfError('INVALID_ARGUMENT', 'kv.handoff body.requestId is empty', { field: 'body.requestId' }),
      };
    const s = this.state(id);
    if (s.result !== undefined) return { kind: 'none' }; // a failed (or already complete) handoff
    const { problem, payload } = this.check(s, body, readExtent);
    if (problem !== undefined || payload === undefined) {
      const error = problem ?? new OicfError('INTERNAL', 'kv.handoff check returned no payload');
      this.settle(id, s, { kind: 'failed', frames: s.frames, error, release: () => this.release(s) });
      this.options.onRejected?.(id, error);
      return { kind: 'error', error };
    }
    s.frames.push({ firstToken: body.firstToken, numTokens: body.numTokens, payload });
    s.nextToken = body.firstToken + body.numTokens;
    s.numBytes += payload.byteLength;
    this.options.onVerified?.(payload.byteLength);
    if (!body.last) return { kind: 'none' };
    this.settle(id, s, { kind: 'complete', frames: s.frames, numBytes: s.numBytes, release: () => this.release(s) });
    return { kind: 'ack', ack: { requestId: id, numBlocks: s.frames.length, numBytes: s.numBytes } };
  }

  /**
   * Claims request `requestId`'s handoff: resolves once it completed or failed (at once if it already
   * has), rejects with DEADLINE_EXCEEDED after `timeoutSeconds` or CANCELLED when `signal` aborts.
   */
  async wait(requestId: string, timeoutSeconds: number, signal?: AbortSignal): Promise<HandoffResult> {
    const s = this.state(requestId);
    if (s.claimed)
      throw new OicfError('ALREADY_EXISTS', `the handoff of ${requestId} is already claimed by another Decode call`);
    s.claimed = true;
    if (s.result !== undefined) {
      this.states.delete(requestId);
      return s.result;
    }
    const timeout = new AbortController();
    const onAbort = () => timeout.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await new Promise<HandoffResult>((resolve, reject) => {
        s.waiter = resolve;
        this.options.clock.sleep(timeoutSeconds, timeout.signal).then(
          () =>
            reject(
              new OicfError(
                'DEADLINE_EXCEEDED',
                `no complete KV handoff for ${requestId} within ${timeoutSeconds} s (${s.frames.length} frames arrived): the prefill worker did not push its KV`,
              ),
            ),
          () =>
            reject(new OicfError('CANCELLED', `Decode ${requestId} was cancelled while waiting for its KV handoff`)),
        );
      });
    } finally {
      timeout.abort();
      signal?.removeEventListener('abort', onAbort);
      this.states.delete(requestId);
    }
  }

  /** Drops unclaimed handoffs older than the TTL; returns how many. */
  expire(): number {
    const now = this.options.clock.nowSeconds();
    let n = 0;
    for (const [id, s] of this.states) {
      if (s.claimed || now - s.createdAtSeconds < this.options.ttlSeconds) continue;
      this.states.delete(id);
      this.release(s);
      this.options.onExpired?.(id, s.numBytes);
      n++;
    }
    return n;
  }

  private state(id: string): State {
    let s = this.states.get(id);
    if (s === undefined) {
      s = {
        frames: [],
        nextToken: undefined,
        numBytes: 0,
        result: undefined,
        createdAtSeconds: this.options.clock.nowSeconds(),
        claimed: false,
        waiter: undefined,
      };
      this.states.set(id, s);
    }
    return s;
  }

  private settle(id: string, s: State, result: HandoffResult): void {
    s.result = result;
    s.waiter?.(result);
    if (s.waiter !== undefined) this.states.delete(id);
  }

  private release(s: State): void {
    for (const f of s.frames.splice(0)) this.options.pool.release(f.payload);
  }

  /** Checks a frame; on success returns its payload copied into a pooled aligned buffer. */
  private check(
    s: State,
    b: KvHandoff__Output,
    readExtent: ExtentReader | undefined,
  ): { problem?: OicfError; payload?: Uint8Array } {
    const range = `tokens [${b.firstToken}, ${b.firstToken + b.numTokens}) of ${b.requestId}`;
    if (s.nextToken !== undefined && b.firstToken !== s.nextToken) {
      const problem = new OicfError(
        'INVALID_ARGUMENT',
        `kv.handoff ${range} does not follow the previous frame (expected token ${s.nextToken})`,
        { field: 'body.firstToken' },
      );
      return { problem };
    }
    const numBytes = b.shm === null ? b.payload.byteLength : b.shm.length;
    if (b.numTokens === 0 || numBytes !== b.numTokens * this.options.kvBytesPerToken) {
      const problem = new OicfError(
        'INVALID_ARGUMENT',
        `kv.handoff ${range}: payload is ${numBytes} bytes, expected ${b.numTokens} × ${this.options.kvBytesPerToken}`,
        { field: b.shm === null ? 'body.payload' : 'body.shm' },
      );
      return { problem };
    }
    let payload: Uint8Array;
    if (b.shm === null) payload = this.options.pool.copy(b.payload);
    else {
      // Same host: one copy, out of the sender's segment into a pooled buffer, verified below like any frame.
      if (readExtent === undefined) {
        const problem = new OicfError(
          'FAILED_PRECONDITION',
          `kv.handoff ${range} names an extent, but this connection has no shared-memory link (send kv.hello first)`,
          { field: 'body.shm' },
        );
        return { problem };
      }
      payload = this.options.pool.acquire(numBytes);
      try {
        readExtent(payload, b.shm);
      } catch (err) {
        this.options.pool.release(payload);
        return { problem: toOicfError(err) };
      }
    }
    if (blockChecksum(payload) >>> 0 !== b.checksum >>> 0) {
      this.options.pool.release(payload);
      const problem = new OicfError(
        'CHECKSUM_MISMATCH',
        `kv.handoff ${range} failed its XXH32 check: the KV was corrupted in transit; the decode worker recomputes it`,
        { field: 'body.payload' },
      );
      return { problem };
    }
    return { payload };
  }
}
