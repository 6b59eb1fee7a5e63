// A worker's end of the request-plane connections (request_plane.proto): one PlaneSession per router
// connection. It holds
//   - the requests that came over the connection, each with how to stop it: when the connection closes
//     every one is stopped (a decode worker frees its KV), and a `cancel` reaches only this connection's
//     requests (another connection cannot stop them);
//   - the credit for `decode.step` frames the router granted, and the step outbox: sequences' outputs
//     queued during one engine step go out as ONE frame once the step's callbacks are done (a microtask
//     later). Without credit the outputs stay and later ones merge into them (the tokens appended, the
//     finish fields taken over), so the outbox holds at most one entry per running sequence.
import type { SequenceOutput, TokenChunk } from '@oicf/proto';
import type { FrameKind } from '../frame-kinds.js';
import { CONNECTION_SCOPE_ID } from '../frame-socket.js';
import { OicfError } from '../oicf-error.js';
import type { WsConnection } from '../ws-server.js';
import { CreditGate } from './credit.js';

/** One sequence's output as a worker builds it (owned by the outbox once queued). */
export interface PlaneOutput extends SequenceOutput {
  firstTokenIndex: number;
  chunk: TokenChunk & { requestId: string; tokenIds: number[] };
}

/** Frame kinds a worker receives on the request plane (the rest of its ws port is the KV data plane). */
const REQUEST_PLANE_KINDS: ReadonlySet<FrameKind> = new Set<FrameKind>(['decode', 'prefill', 'cancel', 'plane.credit']);

/** True for a frame of the request plane (router → worker), false for KV data-plane frames. */
export function isRequestPlaneKind(kind: FrameKind): boolean {
  return REQUEST_PLANE_KINDS.has(kind);
}

export class PlaneSession {
  /** Open requests of this connection → how to stop one (idempotent). */
  readonly requests = new Map<string, (reason: string) => void>();
  /** Frames sent, and flushes held back for lack of credit (a sign of a slow router). */
  readonly stats = { numFrames: 0, numHeldBack: 0 };
  private readonly gate = new CreditGate(0);
  private pending = new Map<string, PlaneOutput>();
  private flushQueued = false;
  private closed = false;

  constructor(readonly connection: WsConnection) {}

  /**
   * Opens request `frameId` on this connection with how to stop it. Refused when the body names another
   * request (INVALID_ARGUMENT, field request_id) or the id is already open here (ALREADY_EXISTS).
   */
  open(frameId: string, bodyRequestId: string, stop: (reason: string) => void): void {
    if (bodyRequestId !== frameId) {
      throw new OicfError('INVALID_ARGUMENT', `request_id ${bodyRequestId} differs from the frame id ${frameId}`, {
        field: 'request_id',
      });
    }
    if (this.requests.has(frameId)) {
      throw new OicfError('ALREADY_EXISTS', `request ${frameId} is already open on this connection`);
    }
    this.requests.set(frameId, stop);
  }

  /** The router granted `numFrames` more step frames. */
  grant(numFrames: number): void {
    this.gate.grant(numFrames);
    if (this.pending.size > 0) this.queueFlush();
  }

  /** Queues one sequence's output for this step's frame. */
  output(output: PlaneOutput): void {
    if (this.closed) return;
    const id = output.chunk.requestId;
    const prev = this.pending.get(id);
    if (prev === undefined) {
      this.pending.set(id, output);
    } else {
      mergeInto(prev.chunk, output.chunk);
    }
    this.queueFlush();
  }

  /** Sends what is queued as one `decode.step` frame, if there is credit. */
  flush(): void {
    this.flushQueued = false;
    if (this.closed || this.pending.size === 0) return;
    if (!this.gate.take()) {
      this.stats.numHeldBack += 1;
      return;
    }
    const outputs = [...this.pending.values()];
    this.pending = new Map();
    this.stats.numFrames += 1;
    try {
      this.connection.post('decode.step', CONNECTION_SCOPE_ID, { outputs });
    } catch {
      // The connection closed: its requests are being stopped (see PlaneSessions).
    }
  }

  /** The connection closed: stop every request of it; nothing more is sent. */
  close(reason: string): void {
    this.closed = true;
    this.pending.clear();
    const stops = [...this.requests.values()];
    this.requests.clear();
    for (const stop of stops) stop(reason);
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }
}

/**
 * Appends `next` (a later output of the same sequence) to `into`, field by field and without knowing the
 * fields: a repeated field (token_ids, and any per-token list TokenChunk gains later, such as logprobs) is
 * concatenated; any other field set in `next` replaces the earlier value (the finish, usage, timings, the
 * latest emit time). So a field added to TokenChunk merges correctly with no change here.
 */
function mergeInto(into: PlaneOutput['chunk'], next: PlaneOutput['chunk']): void {
  const a = into as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    const value = b[key];
    if (value === undefined) continue;
    const held = a[key];
    if (Array.isArray(value) && Array.isArray(held)) for (const v of value) held.push(v);
    else a[key] = value;
  }
}

/** The sessions of a worker's ws server, one per connection, each closed with its connection. */
export class PlaneSessions {
  private readonly byConnection = new Map<number, PlaneSession>();

  /** The session of `connection`, made on its first request-plane frame. */
  of(connection: WsConnection): PlaneSession {
    let session = this.byConnection.get(connection.connectionId);
    if (session === undefined) {
      const s = new PlaneSession(connection);
      session = s;
      this.byConnection.set(connection.connectionId, s);
      const onClose = () => {
        this.byConnection.delete(connection.connectionId);
        s.close(`the request channel from ${connection.remoteAddress} closed`);
      };
      if (connection.signal.aborted) onClose();
      else connection.signal.addEventListener('abort', onClose, { once: true });
    }
    return session;
  }

  get size(): number {
    return this.byConnection.size;
  }

  /** Open requests over every connection. */
  numRequests(): number {
    let n = 0;
    for (const s of this.byConnection.values()) n += s.requests.size;
    return n;
  }
}
