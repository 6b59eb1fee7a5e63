import { describe, expect, it } from 'vitest';
import { type Box, horizontalTextBox, overlaps, verticalTextBox } from './label-place.js';
import { renderOicfPlane } from './oicf-plane.js';
import { renderRoofline } from './roofline.js';
import { findElements } from './svg-test-utils.js';

// Direct device labels must not overlap one another nor lie along another device's line. The four devices
// are the analyze page's default picture (public dense bf16 peaks and HBM bandwidths): their ridges
// (peak ÷ bandwidth) are 295, 247, 281 and 200 FLOP/byte, within 0.17 decades of each other, which is
// what made the labels pile up (issue 15.7).
const DEVICES = [
  { name: 'h100', peakFlopsPerSecond: 989e12, bandwidthBytesPerSecond: 3.35e12, memoryCapacityBytes: 320e9 },
  { name: 'mi300x', peakFlopsPerSecond: 1307e12, bandwidthBytesPerSecond: 5.3e12, memoryCapacityBytes: 384e9 },
  { name: 'b200', peakFlopsPerSecond: 2250e12, bandwidthBytesPerSecond: 8e12, memoryCapacityBytes: 360e9 },
  { name: 'lpddr-decode', peakFlopsPerSecond: 400e12, bandwidthBytesPerSecond: 2e12, memoryCapacityBytes: 1e12 },
];

interface Label {
  readonly cls: string;
  readonly device: string;
  readonly box: Box;
}

/** The labels of a chart with their boxes, rebuilt from what the SVG says (position, anchor, rotation, size). */
function labels(svg: string, classes: readonly string[]): Label[] {
  const out: Label[] = [];
  for (const m of svg.matchAll(/<text class="([\w-]+)"([^>]*)>([^<]*)<\/text>/g)) {
    const [, cls = '', attrText = '', text = ''] = m;
    if (!classes.includes(cls)) continue;
    const attrs = Object.fromEntries([...attrText.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    const x = Number(attrs.x);
    const y = Number(attrs.y);
    const font = Number(attrs['font-size']);
    const anchor = attrs['text-anchor'] === 'end' ? 'end' : 'start';
    const plain = text.replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
    const box = attrs.transform?.startsWith('rotate(-90')
      ? verticalTextBox(plain, font, x, y, anchor)
      : horizontalTextBox(plain, font, x, y, anchor);
    out.push({ cls, device: attrs['data-device'] ?? '', box });
  }
  return out;
}

function lineBox(attrs: Record<string, string>): Box {
  const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((k) => Number(attrs[k]));
  return {
    x0: Math.min(x1 as number, x2 as number) - 1,
    y0: Math.min(y1 as number, y2 as number) - 1,
    x1: Math.max(x1 as number, x2 as number) + 1,
    y1: Math.max(y1 as number, y2 as number) + 1,
  };
}

function pairsOverlapping(ls: readonly Label[]): string[] {
  const hits: string[] = [];
  ls.forEach((a, i) => {
    for (const b of ls.slice(i + 1))
      if (overlaps(a.box, b.box)) hits.push(`${a.cls} ${a.device} × ${b.cls} ${b.device}`);
  });
  return hits;
}

describe('roofline device labels', () => {
  const svg = renderRoofline({ devices: DEVICES });
  const ls = labels(svg, ['ridge-label', 'roof-label']);

  it('labels every ridge and every roof', () => {
    expect(ls.filter((l) => l.cls === 'ridge-label').map((l) => l.device)).toEqual(DEVICES.map((d) => d.name));
    expect(ls.filter((l) => l.cls === 'roof-label').map((l) => l.device)).toEqual(DEVICES.map((d) => d.name));
  });

  it('puts no label on another label', () => {
    expect(pairsOverlapping(ls)).toEqual([]);
  });

  it('puts no ridge label on a ridge marker and no roof label on a roof', () => {
    const markers = findElements(svg, 'line', 'ridge-marker').map(lineBox);
    expect(markers).toHaveLength(4);
    for (const l of ls.filter((l) => l.cls === 'ridge-label')) {
      expect(
        markers.filter((m) => overlaps(l.box, m)),
        l.device,
      ).toEqual([]);
    }
    // The flat part of each roof: from its ridge point to the right edge, at its peak.
    const flats = findElements(svg, 'circle', 'ridge-point').map((c) => ({
      x0: Number(c.cx),
      y0: Number(c.cy) - 1,
      x1: 872,
      y1: Number(c.cy) + 1,
    }));
    for (const l of ls.filter((l) => l.cls === 'roof-label')) {
      expect(
        flats.filter((f) => overlaps(l.box, f)),
        l.device,
      ).toEqual([]);
    }
  });
});

describe('OI–CF plane device labels', () => {
  // Batch 32: walls at 10, 12, 11.25 and 31.25 GB; b200's and mi300x's walls are 0.03 decades apart.
  const svg = renderOicfPlane({ devices: DEVICES, numConcurrentRequests: 32 });
  const ls = labels(svg, ['ridge-label', 'wall-label']);

  it('labels every ridge and every wall, on no other label', () => {
    expect(ls.filter((l) => l.cls === 'ridge-label')).toHaveLength(4);
    expect(ls.filter((l) => l.cls === 'wall-label')).toHaveLength(4);
    expect(pairsOverlapping(ls)).toEqual([]);
  });

  it('keeps ridge labels off every ridge line and wall labels off every wall', () => {
    const ridges = findElements(svg, 'line', 'ridge-line').map(lineBox);
    const walls = findElements(svg, 'line', 'capacity-line').map(lineBox);
    for (const l of ls) {
      const parallel = l.cls === 'ridge-label' ? ridges : walls;
      expect(
        parallel.filter((p) => overlaps(l.box, p)),
        `${l.cls} ${l.device}`,
      ).toEqual([]);
    }
  });
});
