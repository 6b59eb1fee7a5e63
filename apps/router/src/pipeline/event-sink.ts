// How a request hands its events to the front door. The pipeline calls a sink once per event (the one
// implementation of steps 4–6, run-request.ts); the sink returns a promise when its client cannot take more
// yet (backpressure: the pipeline waits for it before relaying further tokens), else undefined.
//
// A one-choice HTTP request passes its reply writer as the sink: the worker's step frame ends in one
// synchronous call chain to the writer, no async generator between. Every other consumer (n > 1, the gRPC
// and WebSocket doors) pulls the same events through `pullEvents`, an async generator over the same sink.
import type { EventSink, StreamEvent } from './types.js';

export type { EventSink };

/**
 * The consumer stopped taking events (a generator closed early, a client gone). Thrown through the
 * pipeline so its cleanup runs as a closed generator's would: never handled as a worker's failure.
 */
export class ConsumerClosed extends Error {
  constructor() {
    super('the consumer of the request events closed');
  }
}

/**
 * The events `start` gives its sink, as an async generator: the pipeline waits in the sink until the
 * consumer asks for the next event (as at a `yield`); closing the generator early ends the pipeline with
 * ConsumerClosed, and waits for its cleanup (the decode worker's cancel, the load released).
 */
export async function* pullEvents(
  start: (sink: EventSink) => Promise<void>,
): AsyncGenerator<StreamEvent, void, undefined> {
  let slot: StreamEvent | undefined;
  let resume: (() => void) | undefined;
  let stop: ((err: ConsumerClosed) => void) | undefined;
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: { error: unknown } | undefined;
  const sink: EventSink = (event) => {
    slot = event;
    wake?.();
    return new Promise<void>((resolve, reject) => {
      resume = resolve;
      stop = reject;
    });
  };
  const running = start(sink).then(
    () => {
      ended = true;
      wake?.();
    },
    (error: unknown) => {
      ended = true;
      failure = { error };
      wake?.();
    },
  );
  try {
    for (;;) {
      if (slot === undefined && !ended) {
        await new Promise<void>((resolve) => {
          wake = () => {
            wake = undefined;
            resolve();
          };
        });
      }
      if (slot !== undefined) {
        const event = slot;
        slot = undefined;
        yield event;
        const next = resume;
        resume = undefined;
        stop = undefined;
        next?.();
        continue;
      }
      if (failure !== undefined) throw failure.error;
      return;
    }
  } finally {
    if (!ended) {
      stop?.(new ConsumerClosed());
      await running;
    }
  }
}
