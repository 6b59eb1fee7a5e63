import { describe, expect, it } from 'vitest';
import { oicfPlaneTable, renderOicfPlane } from './oicf-plane.js';
import { capacityWallBytes, planeRegion } from './oicf-plane-model.js';
import { findElements, logBetweenTicks, parsePoints, tickPositions } from './svg-test-utils.js';
import { checkXmlWellFormed } from './xml-wellformed.js';

// H100 SXM: 989 TFLOP/s bf16 dense, 3.35 TB/s, 80 GB (decimal).
const H100 = { name: 'H100', peakFlopsPerSecond: 989e12, bandwidthBytesPerSecond: 3.35e12, memoryCapacityBytes: 80e9 };
// H200: same compute, 4.8 TB/s, 141 GB; here with its own batch of 16.
const H200 = {
  name: 'H200',
  peakFlopsPerSecond: 989e12,
  bandwidthBytesPerSecond: 4.8e12,
  memoryCapacityBytes: 141e9,
  numConcurrentRequests: 16,
};

// A 30-turn trajectory: CF from 2^30 to 2^35 bytes (evenly in log2), OI rising from 0.5 towards 8.5.
const coding = {
  name: 'coding <agent>',
  points: Array.from({ length: 30 }, (_, t) => ({
    capacityFootprintBytes: 2 ** (30 + (5 * t) / 29),
    intensityFlopsPerByte: 0.5 + (8 * t) / (t + 1),
    label: `turn ${t + 1}`,
  })),
};

describe('capacity wall and regions', () => {
  it('wall = capacity ÷ concurrent requests', () => {
    expect(capacityWallBytes(H100, 32)).toBe(2.5e9);
    // The device's own count wins: 141e9 / 16 = 8.8125e9.
    expect(capacityWallBytes(H200, 32)).toBe(8.8125e9);
  });
  it.each([
    // Wall 2.5e9 B at 32 requests; ridge 295.2 FLOP/byte.
    [1e9, 8, 'bandwidth-bound'],
    [1e9, 500, 'compute-bound'],
    [5e9, 500, 'capacity-bound'],
    [5e9, 8, 'capacity-and-bandwidth-bound'],
    // On the wall still fits.
    [2.5e9, 8, 'bandwidth-bound'],
  ])('CF %s B, OI %s → %s', (cf, oi, region) => {
    expect(planeRegion({ capacityFootprintBytes: cf, intensityFlopsPerByte: oi }, H100, 32)).toBe(region);
  });
});

describe('renderOicfPlane', () => {
  const svg = renderOicfPlane({ devices: [H100, H200], numConcurrentRequests: 32, series: [coding] });

  it('is well-formed and escapes series names', () => {
    expect(checkXmlWellFormed(svg).ok).toBe(true);
    expect(svg).toContain('coding &lt;agent&gt;');
  });

  it('draws each ridge line at log(peak/BW) and each capacity wall at log(capacity/n)', () => {
    // y: OI 0.5..8.26 and ridges 206..295 padded ÷3/×3 → decades 0.1..1000.
    const yt = tickPositions(svg, 'y');
    expect([...yt.keys()]).toEqual([0.1, 1, 10, 100, 1000]);
    const ridges = findElements(svg, 'line', 'ridge-line');
    expect(ridges.map((r) => r['data-device'])).toEqual(['H100', 'H200']);
    const yAt = logBetweenTicks(yt, 100, 1000);
    // H100: 295.2239 → 0.4701517 of the 100..1000 decade; H200: 989/4.8 = 206.04 → 0.3139681.
    expect(Number(ridges[0]?.y1)).toBeCloseTo(yAt(295.2239), 1);
    expect(Number(ridges[1]?.y1)).toBeCloseTo(yAt(206.0417), 1);
    // x: CF 2^30..2^35 and walls 2.5e9, 8.8e9 padded ÷2/×2 → 2^29..2^36, 8 powers of two (≤ 9 ticks).
    const xt = tickPositions(svg, 'x');
    expect([...xt.keys()]).toEqual([29, 30, 31, 32, 33, 34, 35, 36].map((e) => 2 ** e));
    const walls = findElements(svg, 'line', 'capacity-line');
    // 2.5e9 / 2^31 = 1.16415 → log2 = 0.21927 of the 2^31..2^32 octave.
    expect(Number(walls[0]?.x1)).toBeCloseTo(logBetweenTicks(xt, 2 ** 31, 2 ** 32)(2.5e9), 1);
    expect(Number(walls[1]?.x1)).toBeCloseTo(logBetweenTicks(xt, 2 ** 33, 2 ** 34)(8.8125e9), 1);
    expect(walls.map((w) => w['data-capacity-wall-bytes'])).toEqual(['2500000000', '8812500000']);
  });

  it('shades four regions split at the first device’s wall and ridge', () => {
    const regions = findElements(svg, 'rect', 'region');
    expect(regions.map((r) => r['data-region'])).toEqual([
      'compute-bound',
      'bandwidth-bound',
      'capacity-bound',
      'capacity-and-bandwidth-bound',
    ]);
    const [wall] = findElements(svg, 'line', 'capacity-line');
    const [ridge] = findElements(svg, 'line', 'ridge-line');
    const compute = regions[0] as Record<string, string>;
    expect(Number(compute.x) + Number(compute.width)).toBeCloseTo(Number(wall?.x1), 1);
    expect(Number(compute.y) + Number(compute.height)).toBeCloseTo(Number(ridge?.y1), 1);
    expect(svg).toContain('>capacity- and bandwidth-bound<');
  });

  it('plots the trajectory in order with start and end markers', () => {
    const pts = findElements(svg, 'g', 'pt').filter((p) => p['data-kind'] === 'workflow-point');
    expect(pts).toHaveLength(30);
    const [line] = findElements(svg, 'polyline', 'trajectory');
    const vertices = parsePoints(line?.points ?? '');
    expect(vertices).toHaveLength(30);
    // CF doubles every 29/5 turns, so x grows monotonically.
    expect(vertices.every((v, i) => i === 0 || v[0] > (vertices[i - 1] as [number, number])[0])).toBe(true);
    const [start] = findElements(svg, 'circle', 'start-marker');
    const [end] = findElements(svg, 'rect', 'end-marker');
    expect([Number(start?.cx), Number(start?.cy)]).toEqual(vertices[0]);
    const last = vertices[29] as [number, number];
    // The end marker is a square of half-size 8 · 0.9 = 7.2 centred on the last point.
    expect(Number(end?.x) + 7.2).toBeCloseTo(last[0], 1);
    expect(svg).toMatch(
      /<title>coding &lt;agent&gt; · turn 1: CF 1 GiB per request, OI 0.5 FLOP\/byte — bandwidth-bound on H100<\/title>/,
    );
  });

  it('leaves scatter series (connect: false) unjoined and without start/end markers', () => {
    const scatter = renderOicfPlane({
      devices: [H100],
      series: [{ name: 'prefill', connect: false, points: coding.points.slice(0, 3) }],
    });
    expect(findElements(scatter, 'g', 'pt')).toHaveLength(3);
    expect(findElements(scatter, 'polyline', 'trajectory')).toHaveLength(0);
    expect(findElements(scatter, 'circle', 'start-marker')).toHaveLength(0);
    expect(scatter).not.toContain('>start<');
  });

  it('handles no series and no devices', () => {
    const bare = renderOicfPlane({ devices: [], series: [] });
    expect(checkXmlWellFormed(bare).ok).toBe(true);
    expect(findElements(bare, 'rect', 'region')).toHaveLength(0);
    expect(bare).not.toContain('NaN');
  });

  it('rejects bad devices listing every bad field', () => {
    expect(() =>
      renderOicfPlane({
        devices: [{ name: 'x', peakFlopsPerSecond: 1, bandwidthBytesPerSecond: 0, memoryCapacityBytes: -1 }],
      }),
    ).toThrow('OI–CF plane device 0 (x): bandwidthBytesPerSecond, memoryCapacityBytes must be > 0');
    expect(() => renderOicfPlane({ devices: [H100], numConcurrentRequests: 0 })).toThrow(/numConcurrentRequests/);
  });
});

describe('oicfPlaneTable', () => {
  it('gives each point its region on every device', () => {
    const t = oicfPlaneTable({
      devices: [H100, H200],
      numConcurrentRequests: 32,
      series: [{ name: 's', points: [{ capacityFootprintBytes: 4e9, intensityFlopsPerByte: 250, label: 'p' }] }],
    });
    // Walls: 2.5e9 B = 2.33 GiB (H100, 32 requests), 8.8125e9 B = 8.21 GiB (H200, 16).
    expect(t.columns.map((c) => c.header)).toEqual([
      'series',
      'point',
      'CF per request',
      'OI (FLOP/byte)',
      'region on H100 (wall 2.33 GiB)',
      'region on H200 (wall 8.21 GiB)',
    ]);
    // 4e9 B = 3.73 GiB: over the H100 wall, under H200's; OI 250 < 295 (H100) but ≥ 206 (H200).
    expect(t.rows).toEqual([['s', 'p', '3.73 GiB', '250', 'capacity-and-bandwidth-bound', 'compute-bound']]);
  });
});
