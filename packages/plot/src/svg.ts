import { escapeXml } from './escape.js';

/**
 * A minimal string builder for SVG markup. Attribute values are escaped here;
 * children are markup already (build text children with {@link textNode}).
 */

export type AttrValue = string | number | boolean | undefined | null;
export type Attrs = Readonly<Record<string, AttrValue>>;

/** Pixel coordinates to two decimals; keeps files small and output stable. */
export function px(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** `<tag a="v">children</tag>`; undefined/null/false attributes are omitted, numbers go through {@link px}. */
export function el(tag: string, attrs: Attrs, ...children: string[]): string {
  let attrText = '';
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    const text = value === true ? key : typeof value === 'number' ? px(value) : escapeXml(value);
    attrText += ` ${key}="${text}"`;
  }
  return children.length === 0 ? `<${tag}${attrText}/>` : `<${tag}${attrText}>${children.join('')}</${tag}>`;
}

/** A white outline drawn under text (paint-order), so direct labels stay legible where they cross lines. */
export const HALO: Attrs = {
  stroke: '#ffffff',
  'stroke-width': 3,
  'stroke-linejoin': 'round',
  'paint-order': 'stroke',
};

/** Escaped character data for use as a child of {@link el}. */
export function textNode(text: string): string {
  return escapeXml(text);
}

/** `<text>` with escaped content. */
export function svgText(attrs: Attrs, content: string): string {
  return el('text', attrs, escapeXml(content));
}

/** `points` attribute value for polyline/polygon: "x1,y1 x2,y2". */
export function pointList(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([x, y]) => `${px(x)},${px(y)}`).join(' ');
}

/** Rough rendered width of `text` in the chart's sans-serif font (≈ 0.58 em per character). */
export function estimateTextWidth(text: string, fontSizePx: number): number {
  return text.length * fontSizePx * 0.58;
}

/** A short stable id fragment from a string (FNV-1a), so several charts on one page get distinct ids. */
export function idFragment(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
