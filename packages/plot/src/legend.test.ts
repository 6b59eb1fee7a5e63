import { describe, expect, it } from 'vitest';
import { layoutLegend } from './legend.js';
import { findElements } from './svg-test-utils.js';

describe('layoutLegend', () => {
  it('wraps to a new row when the next item would pass the width', () => {
    // Each item: 26 px sample + 4 + 12 px · 0.58 · 6 chars = 71.76 px, then an 18 px gap (89.76 per item).
    // In 200 px two items fit (89.76 + 71.76 = 161.5); the third would end at 251.3 → row 2.
    const items = ['aaaaaa', 'bbbbbb', 'cccccc'].map((label) => ({ label, color: '#000000', line: true }));
    const layout = layoutLegend(items, 0, 0, 200);
    expect(layout.numRows).toBe(2);
    expect(layout.heightPx).toBe(38);
    const lines = findElements(layout.svg, 'line');
    // Row 1 at cy = 9.5, row 2 at 28.5; the third item restarts at x = 0.
    expect(lines.map((l) => [l.x1, l.y1])).toEqual([
      ['0', '9.5'],
      ['89.76', '9.5'],
      ['0', '28.5'],
    ]);
  });
  it('is empty for no items', () => {
    expect(layoutLegend([], 0, 0, 100)).toEqual({ svg: '', numRows: 0, heightPx: 0 });
  });
});
