import { estimateTextWidth } from './svg.js';

/**
 * Places direct labels (a device's ridge, roof or wall) so that no two overlap and none lies along a
 * chart line or on a data point. Each label offers candidate positions in order of preference (beside its
 * own line first, then further away); the greedy pass takes, label by label, the first candidate inside
 * the plot area that meets no obstacle and no label placed before it. A candidate may name obstacle kinds
 * it is allowed to cross (text running across a perpendicular line stays readable on its halo; text lying
 * along a parallel line does not). When every candidate meets something, the one meeting the fewest wins
 * (ties: the earlier), so a crowded chart degrades gracefully.
 *
 * Boxes are in pixels, y growing downwards:   (x0, y0) ┌──────┐
 *                                                      └──────┘ (x1, y1)
 */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** An obstacle: a box and what it is (`h` horizontal line, `v` vertical line, `slope`, `point`, …). */
export interface Obstacle extends Box {
  readonly kind: string;
}

export interface LabelCandidate<T> {
  readonly box: Box;
  /** What the caller needs to draw the label there (position, anchor, rotation). */
  readonly value: T;
  /** Obstacle kinds this position may cross (e.g. a vertical label crossing horizontal lines: ['h']). */
  readonly crosses?: readonly string[];
}

export function placeLabels<T>(
  labels: ReadonlyArray<readonly LabelCandidate<T>[]>,
  obstacles: readonly Obstacle[],
  bounds: Box,
): Array<T | undefined> {
  const placed: Box[] = [];
  return labels.map((candidates) => {
    let best: LabelCandidate<T> | undefined;
    let bestHits = Number.POSITIVE_INFINITY;
    for (const c of candidates) {
      // Text cut off at the edge of the plot is worse than text over a line: it counts as many hits.
      const hits =
        (inside(c.box, bounds) ? 0 : OUTSIDE_HITS) +
        obstacles.filter((o) => !c.crosses?.includes(o.kind) && overlaps(c.box, o)).length +
        placed.filter((p) => overlaps(c.box, p)).length;
      if (hits < bestHits) {
        best = c;
        bestHits = hits;
      }
      if (hits === 0) break;
    }
    if (best !== undefined) placed.push(best.box);
    return best?.value;
  });
}

const OUTSIDE_HITS = 10;

export function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

function inside(a: Box, b: Box): boolean {
  return a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;
}

/** Half the halo stroke (3 px) around each glyph run. */
const HALO_PX = 1.5;

/**
 * The box of a horizontal text whose baseline is at `y`: ascent ≈ 0.8 em above, descent ≈ 0.25 em below,
 * width from estimateTextWidth, placed by its anchor.
 */
export function horizontalTextBox(text: string, fontPx: number, x: number, y: number, anchor: 'start' | 'end'): Box {
  const w = estimateTextWidth(text, fontPx);
  const x0 = anchor === 'start' ? x : x - w;
  return {
    x0: x0 - HALO_PX,
    y0: y - 0.8 * fontPx - HALO_PX,
    x1: x0 + w + HALO_PX,
    y1: y + 0.25 * fontPx + HALO_PX,
  };
}

/**
 * The box of a text rotated −90° about its anchor point (x, y): it reads upwards, its baseline is the
 * vertical line through x (glyphs to its left). Anchor 'start' runs up from y, 'end' ends at y (runs down).
 */
export function verticalTextBox(text: string, fontPx: number, x: number, y: number, anchor: 'start' | 'end'): Box {
  const w = estimateTextWidth(text, fontPx);
  return {
    x0: x - 0.8 * fontPx - HALO_PX,
    y0: (anchor === 'start' ? y - w : y) - HALO_PX,
    x1: x + 0.25 * fontPx + HALO_PX,
    y1: (anchor === 'start' ? y : y + w) + HALO_PX,
  };
}

/**
 * A line from (x1, y1) to (x2, y2) as obstacles: one thin box of kind `h` or `v` when axis-aligned, else
 * boxes of kind `slope` every 4 px along it.
 */
export function lineObstacles(x1: number, y1: number, x2: number, y2: number): Obstacle[] {
  const t = 1;
  if (x1 === x2 || y1 === y2) {
    const kind = y1 === y2 ? 'h' : 'v';
    return [
      { kind, x0: Math.min(x1, x2) - t, y0: Math.min(y1, y2) - t, x1: Math.max(x1, x2) + t, y1: Math.max(y1, y2) + t },
    ];
  }
  const steps = Math.max(1, Math.ceil(Math.hypot(x2 - x1, y2 - y1) / 4));
  const out: Obstacle[] = [];
  for (let i = 0; i <= steps; i++) {
    const x = x1 + ((x2 - x1) * i) / steps;
    const y = y1 + ((y2 - y1) * i) / steps;
    out.push({ kind: 'slope', x0: x - t, y0: y - t, x1: x + t, y1: y + t });
  }
  return out;
}

/** A data marker of radius `r` px at (x, y) as an obstacle of kind `point`. */
export function pointObstacle(x: number, y: number, r: number): Obstacle {
  return { kind: 'point', x0: x - r, y0: y - r, x1: x + r, y1: y + r };
}
