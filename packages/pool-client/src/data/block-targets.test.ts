import { describe, expect, it } from 'vitest';
import { GetTargets, targetFor, targetsByPosition } from './block-targets.js';

describe('block targets', () => {
  it('targetsByPosition pairs ids with targets by position, and refuses lists of different lengths', () => {
    const a = new Uint8Array(4);
    const b = new Uint8Array(4);
    const into = targetsByPosition(['x', 'y'], [a, b]);
    expect([into('y', 4), into('x', 4), into('z', 4)]).toEqual([b, a, undefined]);
    expect(into('y', 4)).toBe(b);
    expect(() => targetsByPosition(['x'], [])).toThrow('getInto: 1 block ids but 0 targets (one target per block)');
    expect(() => targetsByPosition(['x', 'y', 'x'], [new Uint8Array(1), new Uint8Array(1), new Uint8Array(1)])).toThrow(
      'getInto: block x is asked for twice (at 0 and 2)',
    );
  });

  it('targetFor gives the first byteLength bytes of the target, or an error when it is smaller', () => {
    const t = new Uint8Array(10);
    const range = targetFor(() => t, 'x', 6) as Uint8Array;
    expect([range.buffer === t.buffer, range.byteOffset, range.byteLength]).toEqual([true, 0, 6]);
    expect(targetFor(() => t, 'x', 11)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'the target for block x holds 10 bytes, the block has 11: not read',
    });
    expect(targetFor(undefined, 'x', 6)).toBeUndefined();
  });

  it('a channel is given each target once: a second answer for the same id cannot overwrite the first', () => {
    const t = new Uint8Array(4);
    const targets = new GetTargets(() => t);
    expect(targets.forChannel('x', 4)).toBe(t);
    expect(targets.forChannel('x', 4)).toBeUndefined();
  });

  it('place copies a block received elsewhere into its target, and keeps one read there as it is', () => {
    const t = new Uint8Array(8).fill(9);
    const targets = new GetTargets(() => t);
    const placed = targets.place('x', Uint8Array.of(1, 2, 3)) as Uint8Array;
    expect([...t]).toEqual([1, 2, 3, 9, 9, 9, 9, 9]);
    expect([placed.buffer === t.buffer, placed.byteLength]).toEqual([true, 3]);
    // Read in place by the channel (forChannel first): placed as is, nothing copied.
    const u = new Uint8Array(4);
    const inPlace = new GetTargets(() => u);
    const view = (inPlace.forChannel('y', 4) as Uint8Array).subarray(0, 4);
    view.set([5, 6, 7, 8]);
    expect(inPlace.place('y', view)).toBe(view);
  });

  it('refuse zero-fills a refused block only when its bytes lie in its target', () => {
    const t = new Uint8Array(4).fill(7);
    const targets = new GetTargets(() => t);
    const view = (targets.forChannel('x', 4) as Uint8Array).subarray(0, 4);
    const elsewhere = new Uint8Array(4).fill(3);
    targets.refuse('x', elsewhere);
    expect([...t, ...elsewhere]).toEqual([7, 7, 7, 7, 3, 3, 3, 3]);
    targets.refuse('x', view);
    expect([...t]).toEqual([0, 0, 0, 0]);
  });
});
