import type { KvHandoff__Output } from '@oicf/proto';
import { type Clock, OicfError } from '@oicf/transport';
import type { PayloadPool } from '@oicf/worker';
import {
  answer,
  type CopiedFrame,
  copyFrame,
  copyProblem,
  type ExtentReader,
  type HandoffReply,
} from './handoff-copy.js';

export type { ExtentReader, HandoffReply } from './handoff-copy.js';

type ShmExtent = { segmentId: number; offset: number; length: number };

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

interface State {
  frames: HandoffFrame[];
  /** Frames accepted after the verified ones, in arrival order, whose copies may still run (see drain). */
  copies: CopiedFrame[];
  nextToken: number | undefined;
  /** First token of the first frame received (a frame starting there again restarts the handoff). */
  firstToken: number | undefined;
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
  /** Payload bytes of unclaimed handoffs (bufferedBytes, kept as a running sum for the caps). */
  private unclaimedBytes = 0;
  /** Requests whose handoff was dropped (their request ended at the router) → until when late frames are refused. */
  private readonly dropped = new Map<string, number>();

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

  /**
   * Checks and keeps one frame; `readExtent` serves frames that name an extent of the sender's segment. With a reader
   * that copies off this thread (returns a promise) the reply is a promise, settled once this frame is verified (in
   * arrival order, after every frame before it): the ack for the last frame, an error frame for the one that failed.
   * Everything but the copy (the sequence, size and cap checks, the bytes reserved) happens before this returns, so
   * frames are accepted in arrival order whatever order their copies finish in.
   */
  receive(
    body: KvHandoff__Output,
    readExtent?: (into: Uint8Array, extent: ShmExtent) => number | undefined,
  ): HandoffReply;
  receive(body: KvHandoff__Output, readExtent?: ExtentReader): HandoffReply | Promise<HandoffReply>;
  receive(body: KvHandoff__Output, readExtent?: ExtentReader): HandoffReply | Promise<HandoffReply> {
    const id = body.requestId;
    if (id === '')
      return {
        kind: 'error',
        error: new OicfError('INVALID_ARGUMENT', 'kv.handoff body.requestId is empty', { field: 'body.requestId' }),
      };
    if (this.dropped.has(id)) {
      const error = new OicfError(
        'CANCELLED',
        `kv.handoff for ${id}: the request ended at the router, its KV is not kept`,
      );
      return { kind: 'error', error };
    }
    // An extent frame's bytes are copied in here too: they count against the caps like inline ones.
    const refused = this.overCap(id, body.shm === null ? body.payload.byteLength : body.shm.length);
    if (refused !== undefined) return { kind: 'error', error: refused };
    const s = this.state(id);
    // A handoff sent again from its first token, before any Decode call claimed it, is a retried prefill
    // (docs/reliability.md): it replaces what the failed attempt pushed.
    if (!s.claimed && s.firstToken !== undefined && body.firstToken === s.firstToken) this.restart(s);
    if (s.result !== undefined) return { kind: 'none' }; // a failed (or already complete) handoff
    s.firstToken ??= body.firstToken;
    const checked = this.check(s, body, readExtent);
    if ('problem' in checked) {
      this.fail(id, s, checked.problem);
      return { kind: 'error', error: checked.problem };
    }
    const f = checked.frame;
    // Reserved now (the caps count bytes being copied), given back if the frame fails its check.
    s.nextToken = body.firstToken + body.numTokens;
    s.numBytes += f.payload.byteLength;
    if (!s.claimed) this.unclaimedBytes += f.payload.byteLength;
    s.copies.push(f);
    if (checked.running === undefined) this.drain(id, s);
    else
      void checked.running.then(() => {
        if (!f.orphan) return this.drain(id, s);
        this.options.pool.release(f.payload); // its handoff is gone: the copy is over, the buffer may go back
        answer(f, { kind: 'none' });
      });
    return f.reply ?? new Promise<HandoffReply>((resolve) => (f.onReply = resolve));
  }

  /**
   * Verifies and keeps the settled copies at the head of `s.copies`, in arrival order, answering each: none, the ack
   * (last frame: the handoff completes), or the error that fails the handoff. Stops at a copy still running.
   */
  private drain(id: string, s: State): void {
    for (let f = s.copies[0]; f?.settled === true; f = s.copies[0]) {
      s.copies.shift();
      const numBytes = f.payload.byteLength;
      const problem = copyProblem(f);
      if (problem !== undefined) {
        this.options.pool.release(f.payload);
        s.numBytes -= numBytes;
        if (!s.claimed) this.unclaimedBytes -= numBytes;
        this.fail(id, s, problem);
        answer(f, { kind: 'error', error: problem });
        return;
      }
      s.frames.push({ firstToken: f.firstToken, numTokens: f.numTokens, payload: f.payload });
      this.options.onVerified?.(numBytes);
      if (!f.last) {
        answer(f, { kind: 'none' });
        continue;
      }
      this.settle(id, s, { kind: 'complete', frames: s.frames, numBytes: s.numBytes, release: () => this.release(s) });
      answer(f, { kind: 'ack', ack: { requestId: id, numBlocks: s.frames.length, numBytes: s.numBytes } });
    }
  }

  /** Ends handoff `id` as failed with `error` (the verified frames before it stay importable). */
  private fail(id: string, s: State, error: OicfError): void {
    this.orphanCopies(s);
    this.settle(id, s, { kind: 'failed', frames: s.frames, error, release: () => this.release(s) });
    this.options.onRejected?.(id, error);
  }

  /**
   * Frames not yet verified leave the handoff: a settled one's buffer goes back now, a running one's when its copy
   * ends (never before: the copy still writes it). Each is answered `none`.
   */
  private orphanCopies(s: State): void {
    for (const f of s.copies.splice(0)) {
      f.orphan = true;
      if (!f.settled) continue;
      this.options.pool.release(f.payload);
      answer(f, { kind: 'none' });
    }
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
    this.dropped.delete(requestId);
    this.dropped.set(requestId, this.options.clock.nowSeconds() + this.options.ttlSeconds);
    const cap = this.options.maxUnclaimedHandoffs ?? 4096;
    for (const id of this.dropped.keys()) {
      if (this.dropped.size <= cap) break;
      this.dropped.delete(id);
    }
    if (s === undefined) return false;
    this.states.delete(requestId);
    this.unclaimedBytes -= s.numBytes;
    this.release(s);
    if (this.states.size === 0) this.options.pool.trimIfIdle(this.options.clock.nowSeconds());
    return true;
  }

  /** Drops unclaimed handoffs older than the TTL; returns how many. */
  expire(): number {
    const now = this.options.clock.nowSeconds();
    for (const [id, until] of this.dropped) if (until <= now) this.dropped.delete(id);
    let n = 0;
    for (const [id, s] of this.states) {
      if (s.claimed || now - s.createdAtSeconds < this.options.ttlSeconds) continue;
      this.states.delete(id);
      this.unclaimedBytes -= s.numBytes;
      this.release(s);
      this.options.onExpired?.(id, s.numBytes);
      n++;
    }
    // Nothing held: the payload slab goes back to the OS (RSS returns after a burst).
    if (this.states.size === 0) this.options.pool.trimIfIdle(this.options.clock.nowSeconds());
    return n;
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
        copies: [],
        nextToken: undefined,
        firstToken: undefined,
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

  private restart(s: State): void {
    if (!s.claimed) this.unclaimedBytes -= s.numBytes;
    this.release(s);
    s.nextToken = undefined;
    s.firstToken = undefined;
    s.numBytes = 0;
    s.result = undefined;
  }

  private release(s: State): void {
    this.orphanCopies(s);
    for (const f of s.frames.splice(0)) this.options.pool.release(f.payload);
  }

  /** Checks a frame's place and size, then copies its bytes (copyFrame: verified later, in drain). */
  private check(s: State, b: KvHandoff__Output, readExtent: ExtentReader | undefined): ReturnType<typeof copyFrame> {
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
    return copyFrame(this.options.pool, b, range, readExtent);
  }
}
