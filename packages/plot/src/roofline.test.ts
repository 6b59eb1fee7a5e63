import { describe, expect, it } from 'vitest';
import { renderRoofline, rooflineTable } from './roofline.js';
import { attainableFlopsPerSecond, ridgeIntensityFlopsPerByte } from './roofline-model.js';
import { findElements, logBetweenTicks, parsePoints, tickPositions } from './svg-test-utils.js';
import { checkXmlWellFormed } from './xml-wellformed.js';

// Public H100 SXM figures: 989 TFLOP/s dense bf16, 3.35 TB/s HBM3.
const H100 = { name: 'H100', peakFlopsPerSecond: 989e12, bandwidthBytesPerSecond: 3.35e12 };

const spec = {
  title: 'Roofline <bf16> & friends',
  devices: [H100],
  series: [
    {
      name: 'decode',
      points: [
        { intensityFlopsPerByte: 8, flopsPerSecond: 2.5e13, kind: 'predicted' as const, pairKey: 'a', label: 'b=8' },
        { intensityFlopsPerByte: 7, flopsPerSecond: 1.5e13, kind: 'measured' as const, pairKey: 'a' },
      ],
    },
    { name: 'prefill', points: [{ intensityFlopsPerByte: 2000, flopsPerSecond: 7e14, kind: 'predicted' as const }] },
  ],
};

describe('roofline maths', () => {
  it('ridge and attainable FLOP/s', () => {
    // 989e12 / 3.35e12 = 295.22 FLOP/byte (DESIGN.md: "about 295").
    expect(ridgeIntensityFlopsPerByte(H100)).toBeCloseTo(295.22, 2);
    // Below the ridge: 3.35e12 · 8 = 2.68e13; above it: the peak.
    expect(attainableFlopsPerSecond(H100, 8)).toBe(2.68e13);
    expect(attainableFlopsPerSecond(H100, 1000)).toBe(989e12);
  });
});

describe('renderRoofline', () => {
  const svg = renderRoofline(spec);

  it('is well-formed XML with the title escaped', () => {
    expect(checkXmlWellFormed(svg)).toMatchObject({ ok: true, rootName: 'svg' });
    expect(svg).toContain('Roofline &lt;bf16&gt; &amp; friends');
    expect(svg).not.toContain('<bf16>');
  });

  it('puts the roof corner at the ridge, on the log scale', () => {
    // Data OI 7..2000 and the ridge 295, padded ÷3/×3 and rounded out to decades: x domain 1..1e4,
    // so the 788 px plot width holds 4 decades of 197 px from x = 84: 1 → 84, 100 → 478, 1000 → 675.
    const xt = tickPositions(svg, 'x');
    expect([...xt.keys()]).toEqual([1, 10, 100, 1000, 10000]);
    expect(xt.get(100)).toBe(478);
    expect(xt.get(1000)).toBe(675);
    const [roof] = findElements(svg, 'polyline', 'roof');
    const vertices = parsePoints(roof?.points ?? '');
    expect(vertices).toHaveLength(3);
    const corner = vertices[1] as [number, number];
    // log10(295.2239) = 2.4701517: 478 + 0.4701517 · 197 = 570.62 (pixels are written to 2 decimals).
    expect(corner[0]).toBeCloseTo(570.62, 2);
    expect(corner[0]).toBeCloseTo(logBetweenTicks(xt, 100, 1000)(295.2239), 1);
    const yAt = logBetweenTicks(tickPositions(svg, 'y'), 1e13, 1e14);
    expect(corner[1]).toBeCloseTo(yAt(989e12), 1);
    // The flat part stays at the peak; the sloped part rises one decade of FLOP/s per decade of OI.
    expect((vertices[2] as [number, number])[1]).toBe(corner[1]);
    const first = vertices[0] as [number, number];
    expect(first[0]).toBe(84);
    expect(first[1]).toBeCloseTo(yAt(3.35e12), 1);
    // The dashed ridge marker drops from the same x.
    const [ridge] = findElements(svg, 'line', 'ridge-marker');
    expect(Number(ridge?.x1)).toBe(corner[0]);
    expect(svg).toContain('H100 ridge 295 FLOP/B');
  });

  it('draws predicted hollow, measured filled, and joins the pair predicted → measured', () => {
    const pts = findElements(svg, 'g', 'pt');
    expect(pts.map((p) => p['data-kind'])).toEqual(['predicted', 'measured', 'predicted']);
    const circles = findElements(svg, 'circle').filter((c) => c.r === '5');
    // decode uses the first colour and circle markers: predicted white with a blue rim, measured solid blue.
    expect(circles.map((c) => [c.fill, c.stroke])).toEqual([
      ['#ffffff', '#0072B2'],
      ['#0072B2', '#ffffff'],
    ]);
    const [pair] = findElements(svg, 'line', 'pair');
    // x = 84 + 197 · log10(OI): OI 8 → 84 + 197 · 0.90309 = 261.91; OI 7 → 84 + 197 · 0.845098 = 250.48.
    expect(Number(pair?.x1)).toBeCloseTo(261.91, 2);
    expect(Number(pair?.x2)).toBeCloseTo(250.48, 2);
  });

  it('puts a tooltip on every point', () => {
    expect(svg).toContain('<title>decode · b=8 (predicted): OI 8 FLOP/byte, 25 TFLOP/s</title>');
  });

  it('handles no devices and empty or unplottable series', () => {
    const empty = renderRoofline({
      devices: [],
      series: [
        { name: 'none', points: [] },
        { name: 'zero', points: [{ intensityFlopsPerByte: 0, flopsPerSecond: 1e12 }] },
      ],
    });
    expect(checkXmlWellFormed(empty).ok).toBe(true);
    expect(findElements(empty, 'g', 'pt')).toHaveLength(0);
    expect(findElements(empty, 'polyline', 'roof')).toHaveLength(0);
    expect(empty).not.toContain('NaN');
  });

  it('rejects a device without a bandwidth, naming it', () => {
    expect(() =>
      renderRoofline({ devices: [{ name: 'bad', peakFlopsPerSecond: 1e12, bandwidthBytesPerSecond: 0 }] }),
    ).toThrow(/device 0 \(bad\)/);
  });
});

describe('rooflineTable', () => {
  it('lists ridges then points with their share of the first roof', () => {
    const t = rooflineTable(spec);
    expect(t.columns.map((c) => c.header)).toEqual([
      'series / device',
      'label',
      'kind',
      'OI (FLOP/byte)',
      'FLOP/s',
      '% of H100 roof',
    ]);
    expect(t.rows).toEqual([
      ['H100', 'ridge', 'device', '295', '989 TFLOP/s', ''],
      // 2.5e13 / (3.35e12 · 8 = 2.68e13) = 93.28 %.
      ['decode', 'b=8', 'predicted', '8', '25 TFLOP/s', '93.3%'],
      // 1.5e13 / (3.35e12 · 7 = 2.345e13) = 63.97 %.
      ['decode', '', 'measured', '7', '15 TFLOP/s', '64%'],
      // Above the ridge the roof is the peak: 7e14 / 9.89e14 = 70.78 %.
      ['prefill', '', 'predicted', '2000', '700 TFLOP/s', '70.8%'],
    ]);
  });
});
