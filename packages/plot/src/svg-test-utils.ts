/**
 * Test-only helpers (not exported from the package): find elements in
 * generated SVG by tag and class with plain regular expressions, good enough
 * for the flat, attribute-quoted markup this package writes.
 */

export type AttrMap = Record<string, string>;

/** Attributes of every `<tag …>` whose class list contains `cls` (any class when omitted). */
export function findElements(svg: string, tag: string, cls?: string): AttrMap[] {
  const out: AttrMap[] = [];
  const re = new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g');
  for (const m of svg.matchAll(re)) {
    const attrs: AttrMap = {};
    for (const a of (m[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1] as string] = a[2] as string;
    if (cls === undefined || (attrs.class ?? '').split(/\s+/).includes(cls)) out.push(attrs);
  }
  return out;
}

/** Pixel position of each tick on an axis, keyed by the tick's data value. */
export function tickPositions(svg: string, axis: 'x' | 'y'): Map<number, number> {
  const map = new Map<number, number>();
  const re = new RegExp(`<g class="tick ${axis}-tick" data-value="([^"]+)"><line x1="([^"]+)" y1="([^"]+)"`, 'g');
  for (const m of svg.matchAll(re)) {
    map.set(Number(m[1]), Number(axis === 'x' ? m[2] : m[3]));
  }
  return map;
}

/** Parses a `points="x,y x,y"` attribute. */
export function parsePoints(points: string): Array<[number, number]> {
  return points
    .trim()
    .split(/\s+/)
    .map((p) => p.split(',').map(Number) as [number, number]);
}

/** A value → pixel function for a log axis, interpolated between two ticks (hand-checkable in tests). */
export function logBetweenTicks(ticks: Map<number, number>, a: number, b: number): (v: number) => number {
  const pa = ticks.get(a);
  const pb = ticks.get(b);
  if (pa === undefined || pb === undefined) throw new Error(`ticks ${a} and ${b} must both exist`);
  return (v) => pa + (Math.log(v / a) / Math.log(b / a)) * (pb - pa);
}
