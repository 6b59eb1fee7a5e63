import { describe, expect, it } from 'vitest';
import type { StreamEvent, TokensEvent } from '../pipeline/types.js';
import { mergeChoices } from './merge-choices.js';

const tok = (text: string): TokensEvent => ({ kind: 'tokens', tokenIds: [], text, first: false, atSeconds: 0 });
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('mergeChoices', () => {
  it('interleaves the choices in arrival order, tagging each event with its index', async () => {
    async function* slow(): AsyncGenerator<StreamEvent, void, undefined> {
      await tick();
      yield tok('a1');
      await tick();
      await tick();
      yield tok('a2');
    }
    async function* fast(): AsyncGenerator<StreamEvent, void, undefined> {
      yield tok('b1');
      await tick();
      await tick();
      await tick();
      await tick();
      yield tok('b2');
    }
    const got: string[] = [];
    for await (const { index, event } of mergeChoices([slow(), fast()])) got.push(`${index}:${event.text}`);
    expect(got).toEqual(['1:b1', '0:a1', '0:a2', '1:b2']);
  });

  it('a failing choice fails the merge and closes the others (their cleanup runs)', async () => {
    let closed = false;
    async function* healthy(): AsyncGenerator<StreamEvent, void, undefined> {
      try {
        for (;;) {
          await tick();
          yield tok('x');
        }
      } finally {
        closed = true;
      }
    }
    async function* failing(): AsyncGenerator<StreamEvent, void, undefined> {
      yield tok('y');
      await tick();
      throw new Error('decode worker d0 failed');
    }
    const run = async () => {
      for await (const _ of mergeChoices([healthy(), failing()])) {
        // drain
      }
    };
    await expect(run()).rejects.toThrow('decode worker d0 failed');
    for (let i = 0; i < 5 && !closed; i++) await tick();
    expect(closed).toBe(true);
  });

  it('one choice: its events tagged 0, and stopping early closes it (its cleanup runs)', async () => {
    let closed = false;
    async function* only(): AsyncGenerator<StreamEvent, void, undefined> {
      try {
        yield tok('a');
        yield tok('b');
        yield tok('c');
      } finally {
        closed = true;
      }
    }
    const got: string[] = [];
    for await (const { index, event } of mergeChoices([only()])) {
      got.push(`${index}:${event.text}`);
      if (got.length === 2) break;
    }
    expect(got).toEqual(['0:a', '0:b']);
    expect(closed).toBe(true);
  });
});
