import { payloadChecksum } from '@oicf/pool-client';
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
/**
 * Copies an extent of the sender's segment into `into`; returns XXH32 (seed 0) of the copy when it computed it
 * during the copy (a mapped segment: one pass), else undefined (the store hashes the copy).
 */
export type ExtentReader = (
  into: Uint8Array,
  extent: { segmentId: number; offset: number; length: number },
) => number | undefined;

/** How to answer a received frame: nothing yet, the ack (last frame), or an error frame. */
export type HandoffReply =
  | { readonly kind: 'none' }
  | { readonly kind: 'ack'; readonly ack: KvHandoffAck }
  | { readonly kind: 'error'; readonly error: OicfError };

interface State {
  frames: HandoffFrame[];
  nextToken: number | undefined;
  /** First token of the first frame received (a frame starting there again restarts the handoff). */
  firstToken: number | undefined;
  numBytes: number;
  result: HandoffResult | undefined;
  /** When its latest frame arrived (the TTL counts from there: a handoff still arriving is not cut). */
  lastFrameAtSeconds: number;
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
 * Frames may arrive before their Decode call (buffered until claimed, dropped `ttlSeconds` after their latest
 * frame if nobody claims them, counted by `onExpired`) or after it (`wait` resolves when they complete). Later
 * frames of a handoff dropped before its last frame are refused, never acknowledged as a shorter handoff.
 */
export class HandoffStore {
  private readonly states = new Map<string, State>();
  /** Payload bytes of unclaimed handoffs (bufferedBytes, kept as a running sum for the caps). */
  private unclaimedBytes = 0;
  /**
   * Requests whose handoff was dropped before it completed (their request ended at the router, or the TTL passed
   * mid-handoff) → until when late frames are refused, and why.
   */
  private readonly dropped = new Map<string, { untilSeconds: number; error: OicfError }>();

  constructor(
    private readonly options: {
      readonly clock: Clock;
      readonly kvBytesPerToken: number;
      readonly ttlSeconds: number;
      readonly pool: PayloadPool;
      /**
       * Caps on handoffs no Decode call has claimed yet (docs/reliability.md, "bounded everything"): payload
       * bytes held, and handoffs open. A frame past either is refused RESOURCE_EXHAUSTED and, when it belongs
       * to an open handoff, fails that handoff (its bytes are released; its Decode call recomputes). Default
       * unbounded (unit tests); the decode worker sets them from its config.
       */
      readonly maxUnclaimedBytes?: number;
      readonly maxUnclaimedHandoffs?: number;
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
    return this.unclaimedBytes;
  }

  /** Checks and keeps one frame; `readExtent` serves frames that name an extent of the sender's segment. */
  receive(body: KvHandoff__Output, readExtent?: ExtentReader): HandoffReply {
    const id = body.requestId;
    if (id === '')
      return {
        kind: 'error',
        error: new OicfError('INVALID_ARGUMENT', 'kv.handoff body.requestId is empty', { field: 'body.requestId' }),
      };
    const dropped = this.dropped.get(id);
    if (dropped !== undefined) return { kind: 'error', error: dropped.error };
    // An extent frame's bytes are copied in here too: they count against the caps like inline ones.
    const refused = this.overCap(id, body.shm === null ? body.payload.byteLength : body.shm.length);
    if (refused !== undefined) return { kind: 'error', error: refused };
    const s = this.state(id);
    s.lastFrameAtSeconds = this.options.clock.nowSeconds();
    // A handoff sent again from its first token, before any Decode call claimed it, is a retried prefill
    // (docs/reliability.md): it replaces what the failed attempt pushed.
    if (!s.claimed && s.firstToken !== undefined && body.firstToken === s.firstToken) this.restart(s);
    if (s.result !== undefined) return { kind: 'none' }; // a failed (or already complete) handoff
    s.firstToken ??= body.firstToken;
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
    if (!s.claimed) this.unclaimedBytes += payload.byteLength;
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
    this.unclaimedBytes -= s.numBytes;
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

  /**
   * Drops request `requestId`'s handoff if no Decode call claimed it (its request ended at the router before
   * its decode began: the bytes come back now, not at the TTL). False when there is none, or it is claimed.
   */
  drop(requestId: string): boolean {
    const s = this.states.get(requestId);
    if (s?.claimed === true) return false;
    // Frames still on their way (a prefill that did not stop at once) are refused until the TTL, not kept.
    this.refuseLateFrames(
      requestId,
      new OicfError('CANCELLED', `kv.handoff for ${requestId}: the request ended at the router, its KV is not kept`),
    );
    if (s === undefined) return false;
    this.states.delete(requestId);
    this.unclaimedBytes -= s.numBytes;
    this.release(s);
    if (this.states.size === 0) this.options.pool.trimIfIdle(this.options.clock.nowSeconds());
    return true;
  }

  /** Drops unclaimed handoffs whose latest frame is older than the TTL; returns how many. */
  expire(): number {
    const now = this.options.clock.nowSeconds();
    for (const [id, d] of this.dropped) if (d.untilSeconds <= now) this.dropped.delete(id);
    let n = 0;
    for (const [id, s] of this.states) {
      if (s.claimed || now - s.lastFrameAtSeconds < this.options.ttlSeconds) continue;
      this.states.delete(id);
      if (s.result === undefined) {
        // Dropped mid-handoff: its later frames would otherwise open a new handoff and be acknowledged short.
        const error = new OicfError(
          'DEADLINE_EXCEEDED',
          `kv.handoff for ${id}: no frame for ${this.options.ttlSeconds} s before this one and no Decode call claimed it, so its earlier frames were dropped; the decode worker recomputes its KV`,
        );
        this.refuseLateFrames(id, error);
      }
      this.unclaimedBytes -= s.numBytes;
      this.release(s);
      this.options.onExpired?.(id, s.numBytes);
      n++;
    }
    // Nothing held: the payload slab goes back to the OS (RSS returns after a burst).
    if (this.states.size === 0) this.options.pool.trimIfIdle(this.options.clock.nowSeconds());
    return n;
  }

  /** Refuses frames of `id` with `error` for one TTL (at most maxUnclaimedHandoffs ids remembered, oldest forgotten). */
  private refuseLateFrames(id: string, error: OicfError): void {
    this.dropped.delete(id);
    this.dropped.set(id, { untilSeconds: this.options.clock.nowSeconds() + this.options.ttlSeconds, error });
    const cap = this.options.maxUnclaimedHandoffs ?? 4096;
    for (const old of this.dropped.keys()) {
      if (this.dropped.size <= cap) break;
      this.dropped.delete(old);
    }
  }

  /**
   * The refusal of a frame of `numBytes` for `id` past the caps (undefined: within them). An open unclaimed
   * handoff that would grow past the byte cap is dropped whole, so its bytes come back at once.
   */
  private overCap(id: string, numBytes: number): OicfError | undefined {
    const maxBytes = this.options.maxUnclaimedBytes ?? Number.POSITIVE_INFINITY;
    const maxOpen = this.options.maxUnclaimedHandoffs ?? Number.POSITIVE_INFINITY;
    const open = this.states.get(id);
    if (open?.claimed === true) return undefined; // its Decode call waits for it: always taken
    if (open === undefined && this.states.size >= maxOpen) {
      return new OicfError(
        'RESOURCE_EXHAUSTED',
        `kv.handoff for ${id}: ${this.states.size} handoffs are already open on this decode worker (the limit): retry, or prefill locally`,
      );
    }
    if (this.unclaimedBytes + numBytes <= maxBytes) return undefined;
    if (open !== undefined) {
      this.states.delete(id);
      this.unclaimedBytes -= open.numBytes;
      this.release(open);
    }
    return new OicfError(
      'RESOURCE_EXHAUSTED',
      `kv.handoff for ${id}: unclaimed handoffs already hold ${this.unclaimedBytes} bytes, the limit is ${maxBytes}: the decode worker recomputes what it lacks`,
    );
  }

  private state(id: string): State {
    let s = this.states.get(id);
    if (s === undefined) {
      s = {
        frames: [],
        nextToken: undefined,
        firstToken: undefined,
        numBytes: 0,
        result: undefined,
        lastFrameAtSeconds: this.options.clock.nowSeconds(),
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

  private restart(s: State): void {
    if (!s.claimed) this.unclaimedBytes -= s.numBytes;
    this.release(s);
    s.nextToken = undefined;
    s.firstToken = undefined;
    s.numBytes = 0;
    s.result = undefined;
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
    let copiedSum: number | undefined;
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
        copiedSum = readExtent(payload, b.shm);
      } catch (err) {
        this.options.pool.release(payload);
        return { problem: toOicfError(err) };
      }
    }
    // The XXH32 of the copy (never of the sender's segment, which it may still write).
    if ((copiedSum ?? payloadChecksum(payload)) >>> 0 !== b.checksum >>> 0) {
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
