import { describe, expect, it } from 'vitest';
import { horizontalTextBox, lineObstacles, overlaps, placeLabels, verticalTextBox } from './label-place.js';

const bounds = { x0: 0, y0: 0, x1: 100, y1: 100 };
const box = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });

describe('placeLabels', () => {
  it('takes the first candidate that meets nothing, then keeps later labels off it', () => {
    const a = { box: box(10, 10, 30, 20), value: 'a' };
    const b = { box: box(10, 30, 30, 40), value: 'b' };
    // Label 1 takes a; label 2 would also prefer a, but a is taken, so it takes b.
    expect(
      placeLabels(
        [
          [a, b],
          [a, b],
        ],
        [],
        bounds,
      ),
    ).toEqual(['a', 'b']);
  });

  it('skips candidates on an obstacle or outside the area', () => {
    const line = lineObstacles(20, 0, 20, 100); // a vertical line at x = 20
    const onLine = { box: box(15, 10, 25, 20), value: 'on the line' };
    const outside = { box: box(90, 10, 110, 20), value: 'outside' };
    const free = { box: box(40, 10, 60, 20), value: 'free' };
    expect(placeLabels([[onLine, outside, free]], line, bounds)).toEqual(['free']);
  });

  it('lets a candidate cross the obstacle kinds it names (text across a perpendicular line)', () => {
    const horizontal = lineObstacles(0, 50, 100, 50);
    const vertical = { box: box(10, 30, 20, 70), value: 'vertical text', crosses: ['h'] };
    expect(placeLabels([[vertical]], horizontal, bounds)).toEqual(['vertical text']);
    expect(placeLabels([[{ ...vertical, crosses: [] }]], horizontal, bounds)).toEqual(['vertical text']);
    // Without the allowance it is still placed (no better option) but a free spot wins when there is one.
    const free = { box: box(30, 10, 40, 20), value: 'free' };
    expect(placeLabels([[{ ...vertical, crosses: [] }, free]], horizontal, bounds)).toEqual(['free']);
  });

  it('falls back to the candidate meeting the fewest things', () => {
    const obstacles = [
      { kind: 'v', ...box(0, 0, 5, 100) },
      { kind: 'v', ...box(50, 0, 55, 100) },
      { kind: 'v', ...box(60, 0, 65, 100) },
    ];
    const two = { box: box(48, 10, 62, 20), value: 'two' };
    const one = { box: box(2, 10, 12, 20), value: 'one' };
    expect(placeLabels([[two, one]], obstacles, bounds)).toEqual(['one']);
  });
});

function expectBox(got: ReturnType<typeof box>, want: ReturnType<typeof box>): void {
  for (const k of ['x0', 'y0', 'x1', 'y1'] as const) expect(got[k]).toBeCloseTo(want[k], 9);
}

describe('text boxes', () => {
  it('measure horizontal text from its baseline and anchor', () => {
    // 10 characters at 10 px: 10 · 10 · 0.58 = 58 px wide; ascent 8, descent 2.5, halo 1.5 each side.
    expectBox(horizontalTextBox('0123456789', 10, 100, 50, 'start'), box(98.5, 40.5, 159.5, 54));
    expectBox(horizontalTextBox('0123456789', 10, 100, 50, 'end'), box(40.5, 40.5, 101.5, 54));
  });

  it('measure text rotated −90° (reading upwards) from its anchor', () => {
    // Glyphs sit left of the vertical baseline (ascent 8) with the descent (2.5) to its right.
    expectBox(verticalTextBox('0123456789', 10, 100, 200, 'start'), box(90.5, 140.5, 104, 201.5));
    expectBox(verticalTextBox('0123456789', 10, 100, 200, 'end'), box(90.5, 198.5, 104, 259.5));
  });

  it('cut a sloped line into small boxes along it', () => {
    const slope = lineObstacles(0, 0, 40, 30); // 50 px long: ⌈50 / 4⌉ = 13 steps, 14 boxes
    expect(slope).toHaveLength(14);
    expect(slope.every((o) => o.kind === 'slope')).toBe(true);
    expect(overlaps(box(19, 14, 21, 16), slope[7] as (typeof slope)[number])).toBe(true);
  });
});
