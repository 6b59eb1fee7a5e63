// How a front door tells a running request that its client went away. The pipeline needs only `aborted`
// and one 'abort' listener per request (worker-calls.ts), so the HTTP door hands it a ClientAbort rather
// than an AbortController: no EventTarget, no Event object and no listener bookkeeping per request. An
// AbortSignal (the gRPC and WebSocket doors' own) fits ClientSignal as it is.

/** The part of AbortSignal the pipeline uses. */
export interface ClientSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A ClientSignal and its abort switch. Like AbortSignal: listeners run once, on the first abort only. */
export class ClientAbort implements ClientSignal {
  aborted = false;
  private listeners: Array<() => void> | undefined;

  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (this.aborted) return; // as AbortSignal: a listener added after the abort is not called
    if (this.listeners === undefined) this.listeners = [listener];
    else this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners?.splice(at, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
