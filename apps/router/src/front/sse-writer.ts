// Writes one SSE response with backpressure, batching the writes of an event-loop turn.
//
// Batching: the first write of a turn corks the response and a nextTick uncorks it, so every event written
// in that turn (a token event, or a finish + usage + [DONE]) leaves in one socket write.
// Backpressure: once a write finds the response's buffer at its high-water mark (Node's 16 KiB for a
// socket), the caller awaits drained() before pulling its next event. The request's tokens then wait in
// the pipeline (the decode relay keeps ids, not SSE text) and go out merged into fewer, larger events when
// the client catches up, so a client that reads slowly holds at most about one high-water mark plus one
// event of bytes in the router, whatever it asked for.
import type { ReplySink } from './reply-sink.js';

export class SseWriter {
  private corked = false;
  private full = false;

  constructor(private readonly res: ReplySink) {}

  /** Writes `data` in this turn's batch. */
  write(data: string): void {
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      process.nextTick(this.uncork);
    }
    if (!this.res.write(data)) this.full = true;
  }

  /**
   * Undefined when the buffer has room; else a promise that resolves once the client has taken the
   * buffered bytes ('drain') or the response closed.
   */
  drained(): Promise<void> | undefined {
    if (!this.full) return undefined;
    const res = this.res;
    if (res.destroyed) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        this.full = false;
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  }

  private readonly uncork = () => {
    this.corked = false;
    this.res.uncork();
  };
}
