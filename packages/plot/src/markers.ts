import type { MarkerShape } from './palette.js';
import { type Attrs, el, px } from './svg.js';

/**
 * One point marker centred on (cx, cy) with "radius" r (half the box size).
 * Filled markers (measured values, by convention here) are solid with a white
 * rim; hollow ones (predicted values) are white with a coloured outline.
 */
export function marker(
  shape: MarkerShape,
  cx: number,
  cy: number,
  r: number,
  color: string,
  hollow: boolean,
  extra: Attrs = {},
): string {
  const paint: Attrs = hollow
    ? { fill: '#ffffff', stroke: color, 'stroke-width': 1.8, ...extra }
    : { fill: color, stroke: '#ffffff', 'stroke-width': 0.8, ...extra };
  switch (shape) {
    case 'circle':
      return el('circle', { cx, cy, r, ...paint });
    case 'square':
      return el('rect', { x: cx - r * 0.9, y: cy - r * 0.9, width: r * 1.8, height: r * 1.8, ...paint });
    case 'triangle':
      return el('path', {
        d: polygonPath([
          [cx, cy - r * 1.15],
          [cx + r, cy + r * 0.75],
          [cx - r, cy + r * 0.75],
        ]),
        ...paint,
      });
    case 'triangle-down':
      return el('path', {
        d: polygonPath([
          [cx, cy + r * 1.15],
          [cx + r, cy - r * 0.75],
          [cx - r, cy - r * 0.75],
        ]),
        ...paint,
      });
    case 'diamond':
      return el('path', {
        d: polygonPath([
          [cx, cy - r * 1.2],
          [cx + r, cy],
          [cx, cy + r * 1.2],
          [cx - r, cy],
        ]),
        ...paint,
      });
  }
}

function polygonPath(points: ReadonlyArray<readonly [number, number]>): string {
  return `${points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x)} ${px(y)}`).join(' ')} Z`;
}
