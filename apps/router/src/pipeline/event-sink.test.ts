// pullEvents turns a pipeline that calls its sink into an async generator with a generator's behaviour:
// the pipeline waits in the sink until the consumer asks for the next event, its error comes out of the
// pull after its events, and closing the generator early stops the pipeline with ConsumerClosed and waits
// for its cleanup before return() resolves.
import { describe, expect, it } from 'vitest';
import { ConsumerClosed, type EventSink, pullEvents } from './event-sink.js';
import type { StreamEvent } from './types.js';

const tokens = (text: string): StreamEvent => ({ kind: 'tokens', tokenIds: [1], text, first: false, atSeconds: 0 });

describe('pullEvents', () => {
  it('runs the pipeline only as far as the consumer has pulled', async () => {
    const log: string[] = [];
    const events = pullEvents(async (sink: EventSink) => {
      for (const t of ['a', 'b', 'c']) {
        log.push(`send ${t}`);
        await sink(tokens(t));
      }
      log.push('end');
    });
    expect(log).toEqual([]); // nothing runs before the first pull, as with a generator
    const first = await events.next();
    expect(first.value).toMatchObject({ text: 'a' });
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['send a']); // waiting in the sink: 'b' not produced yet
    const rest: string[] = [];
    for await (const e of events) rest.push(e.text);
    expect(rest).toEqual(['b', 'c']);
    expect(log).toEqual(['send a', 'send b', 'send c', 'end']);
  });

  it('throws the pipeline’s error after the events before it', async () => {
    const events = pullEvents(async (sink) => {
      await sink(tokens('a'));
      throw new Error('worker gone');
    });
    expect((await events.next()).value).toMatchObject({ text: 'a' });
    await expect(events.next()).rejects.toThrow('worker gone');
  });

  it('closing early ends the pipeline with ConsumerClosed and waits for its cleanup', async () => {
    let seen: unknown;
    let cleaned = false;
    const events = pullEvents(async (sink) => {
      try {
        await sink(tokens('a'));
        await sink(tokens('b'));
      } catch (err) {
        seen = err;
        throw err;
      } finally {
        await new Promise((r) => setTimeout(r, 5));
        cleaned = true;
      }
    });
    expect((await events.next()).value).toMatchObject({ text: 'a' });
    const closed = await events.return(undefined);
    expect(closed.done).toBe(true);
    expect(seen).toBeInstanceOf(ConsumerClosed);
    expect(cleaned).toBe(true);
  });
});
