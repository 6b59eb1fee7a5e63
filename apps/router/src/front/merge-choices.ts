// The event streams of a request's n choices (each a request of its own in the pipeline) merged into one,
// in arrival order, each event tagged with its choice index. A failing choice fails the whole response:
// the others are closed (their generators' cleanup releases load and cancels their decode workers), and
// the error is rethrown. Closing the merged stream early closes every choice the same way.
import type { StreamEvent } from '../pipeline/types.js';

export interface ChoiceEvent {
  readonly index: number;
  readonly event: StreamEvent;
}

type Pending = Promise<{ index: number; result: IteratorResult<StreamEvent, void> }>;

export function mergeChoices(
  streams: readonly AsyncGenerator<StreamEvent, void, undefined>[],
): AsyncIterable<ChoiceEvent> {
  return streams.length === 1
    ? oneChoice(streams[0] as AsyncGenerator<StreamEvent, void, undefined>)
    : mergeMany(streams);
}

/**
 * One choice (the common case): its own iterator with each result tagged index 0, no generator of its own
 * and no race per event; closing this (for-await's return) closes the choice.
 */
function oneChoice(stream: AsyncGenerator<StreamEvent, void, undefined>): AsyncIterableIterator<ChoiceEvent> {
  const tag = (r: IteratorResult<StreamEvent, void>): IteratorResult<ChoiceEvent, void> =>
    r.done === true ? r : { done: false, value: { index: 0, event: r.value } };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => stream.next().then(tag),
    return: () => stream.return(undefined).then(tag),
  };
}

async function* mergeMany(
  streams: readonly AsyncGenerator<StreamEvent, void, undefined>[],
): AsyncGenerator<ChoiceEvent> {
  const pending = new Map<number, Pending>();
  const pull = (index: number) => {
    const stream = streams[index] as AsyncGenerator<StreamEvent, void, undefined>;
    pending.set(
      index,
      stream.next().then((result) => ({ index, result })),
    );
  };
  for (let i = 0; i < streams.length; i++) pull(i);
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done === true) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield { index, event: result.value };
    }
  } finally {
    // Still-running choices (an error elsewhere, or the consumer stopped): close them; their own
    // in-flight `next` settles or rejects on its own, and is not awaited or reported here.
    for (const index of pending.keys()) {
      const stream = streams[index] as AsyncGenerator<StreamEvent, void, undefined>;
      pending.get(index)?.catch(() => {});
      stream.return(undefined).catch(() => {});
    }
  }
}
