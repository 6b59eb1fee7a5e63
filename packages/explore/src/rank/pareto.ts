/** A point to compare: larger x and larger y are both better unless a direction says otherwise. */
export interface ParetoPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * Indices of the points no other point dominates (at least as good on both axes, better on one), in order of
 * increasing x. `xBetter`/`yBetter` say which way is better per axis ('max' or 'min').
 */
export function paretoFrontier(
  points: readonly ParetoPoint[],
  xBetter: 'max' | 'min' = 'max',
  yBetter: 'max' | 'min' = 'max',
): number[] {
  const sx = xBetter === 'max' ? 1 : -1;
  const sy = yBetter === 'max' ? 1 : -1;
  const order = points
    .map((p, i) => ({ i, x: sx * p.x, y: sy * p.y }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .sort((a, b) => b.x - a.x || b.y - a.y);
  const keep: number[] = [];
  let bestY = Number.NEGATIVE_INFINITY;
  for (const p of order) {
    if (p.y > bestY) {
      keep.push(p.i);
      bestY = p.y;
    }
  }
  return keep.sort((a, b) => sx * ((points[a] as ParetoPoint).x - (points[b] as ParetoPoint).x));
}
