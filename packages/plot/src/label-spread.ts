/**
 * Keeps direct labels of nearby lines from overlapping: walks labels in the
 * given order and moves each one so it sits at least |gap| px past the
 * previous one, in the direction of gap's sign (negative = up or left).
 * Callers sort labels by position first, starting from the side they grow away from.
 */
export function spreadLabels(labels: Array<{ pos: number }>, gap: number): void {
  for (let k = 1; k < labels.length; k++) {
    const prev = labels[k - 1];
    const cur = labels[k];
    if (!prev || !cur) continue;
    if (gap < 0 && cur.pos > prev.pos + gap) cur.pos = prev.pos + gap;
    if (gap > 0 && cur.pos < prev.pos + gap) cur.pos = prev.pos + gap;
  }
}
