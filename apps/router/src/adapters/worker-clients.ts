// The router's request-plane channels to its workers (request_plane.proto): ONE long-lived multiplexed
// WebSocket per worker, to the ws address it registered, carrying every Prefill and Decode routed to it.
// A channel opens when the worker registers (or on first use) and is dropped when it closes, when the worker
// is dropped, or when it re-registers at another address; the next request opens a fresh one. gRPC remains
// the control plane (Register, Heartbeat) and the public front door.
import { OicfError, PlaneChannel, type PlaneChannelOptions } from '@oicf/transport';

/** What a channel needs to know of the worker at its other end. */
export interface ChannelTarget {
  readonly workerId: string;
  readonly role: string;
  readonly wsAddress: string;
}

export interface WorkerClientsOptions {
  /** Period of each channel's ping / liveness / idle-call check. */
  readonly tickSeconds: number;
  /** A worker that answers nothing (not even a ping) for this long is dead: its channel closes. */
  readonly livenessTimeoutSeconds: number;
  /** A channel closed (its open requests have failed): the registry marks the worker failed. */
  readonly onClosed?: (target: ChannelTarget, error: OicfError) => void;
  /** A problem on a channel that is no request's (logged). */
  readonly onProblem?: (target: ChannelTarget, error: OicfError) => void;
}

interface Entry {
  channel: PlaneChannel | undefined;
  opening: Promise<PlaneChannel> | undefined;
}

export class WorkerClients {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: WorkerClientsOptions) {}

  /** The open channel to `target`, or undefined when none is open (then `connect`). Synchronous: no await per request. */
  ready(target: ChannelTarget): PlaneChannel | undefined {
    const channel = this.entries.get(target.wsAddress)?.channel;
    return channel?.isOpen === true ? channel : undefined;
  }

  /** The channel to `target`, opening one if needed; rejects with UNAVAILABLE naming the worker. */
  connect(target: ChannelTarget): Promise<PlaneChannel> {
    const open = this.ready(target);
    if (open !== undefined) return Promise.resolve(open);
    let entry = this.entries.get(target.wsAddress);
    if (entry?.opening !== undefined) return entry.opening;
    if (target.wsAddress === '') {
      return Promise.reject(
        new OicfError('UNAVAILABLE', `${describe(target)} registered no ws address: it cannot take requests`),
      );
    }
    entry = { channel: undefined, opening: undefined };
    const e = entry;
    this.entries.set(target.wsAddress, e);
    const options: PlaneChannelOptions = {
      peer: describe(target),
      tickSeconds: this.options.tickSeconds,
      livenessTimeoutSeconds: this.options.livenessTimeoutSeconds,
      onClose: (error) => {
        if (this.entries.get(target.wsAddress) === e) this.entries.delete(target.wsAddress);
        this.options.onClosed?.(target, error);
      },
      onProblem: (error) => this.options.onProblem?.(target, error),
    };
    e.opening = PlaneChannel.connect(target.wsAddress, options).then(
      (channel) => {
        e.opening = undefined;
        e.channel = channel;
        return channel;
      },
      (err: unknown) => {
        if (this.entries.get(target.wsAddress) === e) this.entries.delete(target.wsAddress);
        throw err;
      },
    );
    return e.opening;
  }

  /** Opens the channel ahead of the first request (registration); failures surface on first use. */
  warm(target: ChannelTarget): void {
    this.connect(target).catch(() => {});
  }

  /** Closes the channel to an address (its worker was dropped or moved): open requests fail UNAVAILABLE. */
  forget(wsAddress: string, reason = 'the worker left the registry'): void {
    const entry = this.entries.get(wsAddress);
    this.entries.delete(wsAddress);
    void entry?.channel?.close(reason);
    entry?.opening?.then((c) => c.close(reason)).catch(() => {});
  }

  /** Open channels (for /metrics and tests). */
  get numOpen(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.channel?.isOpen === true) n++;
    return n;
  }

  closeAll(): void {
    for (const address of [...this.entries.keys()]) this.forget(address, 'the router is shutting down');
  }
}

function describe(target: ChannelTarget): string {
  return `${target.role === 'both' ? '' : `${target.role} `}worker ${target.workerId}`;
}
