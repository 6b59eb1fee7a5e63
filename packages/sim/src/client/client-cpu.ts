// The load client's own CPU on the local host (host-cost model): sending a request and reading each streamed
// chunk run on its main thread (one FIFO, shared cores), so a busy client sees tokens later than they
// arrive, as the real replay driver does. Without a host-cost model the events pass through unchanged.
import type { SimContext } from '../core/sim-context.js';
import type { ClientSink } from '../router/run-routed.js';

/** Sends through `send` after the client's per-request work, its events delivered after its per-chunk work. */
export function sendWithClientCpu(ctx: SimContext, events: ClientSink, send: (sink: ClientSink) => void): void {
  const p = ctx.processes;
  if (p === undefined) {
    send(events);
    return;
  }
  const cpu = p.client;
  const c = p.cost.client;
  const queue = ctx.queue;
  const sink: ClientSink = {
    onToken: (n, atSeconds) => {
      const read = () => cpu.serve(c.secondsPerToken * n, () => events.onToken(n, queue.nowSeconds));
      if (atSeconds <= queue.nowSeconds) read();
      else queue.at(atSeconds, read);
    },
    onFinal: (f) => cpu.serve(0, () => events.onFinal(f)),
    onError: (status, code, message) => cpu.serve(0, () => events.onError(status, code, message)),
  };
  cpu.serve(c.secondsPerRequest, () => send(sink));
}
