import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thisMachineDevice } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { calibrate } from './calibrate.js';
import { CalibrationFileError, loadCalibration, parseCalibration, saveCalibration } from './calibration-file.js';

describe('calibrate (small sizes)', () => {
  it('measures every precision and the stream, and saves a profile @oicf/core accepts', async () => {
    const messages: string[] = [];
    const profile = await calibrate({
      gemmSize: 96,
      streamBytes: 8 * 2 ** 20,
      numRuns: 3,
      onProgress: (m) => messages.push(m),
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    expect(Object.keys(profile.peakFlopsPerSecond).sort()).toEqual(['fp16', 'fp32', 'int8']);
    for (const g of profile.details.gemm) {
      expect(g.runsSeconds.length).toBe(3);
      expect(g.flops).toBe(2 * 96 ** 3);
      expect(g.flopsPerSecond).toBeCloseTo(g.flops / g.medianSeconds, 0);
    }
    // 8 MiB / (4096 columns × 4 B) = 512 rows, read entirely.
    expect(profile.details.stream.bytes).toBe(8 * 2 ** 20);
    expect(profile.memoryBandwidthBytesPerSecond).toBeCloseTo(
      profile.details.stream.bytes / profile.details.stream.medianSeconds,
      0,
    );
    expect(profile.details.measuredAt).toBe('2026-01-02T03:04:05.000Z');
    expect(messages[0]).toMatch(/fp32 GEMM 96³/);

    const dir = mkdtempSync(join(tmpdir(), 'oicf-cal-'));
    try {
      const path = join(dir, 'nested', 'calibration.json');
      saveCalibration(path, profile);
      const loaded = loadCalibration(path);
      expect(loaded).toEqual(profile);
      const device = thisMachineDevice(loaded ?? profile);
      expect(device.peakFlopsPerSecond.fp32).toBe(profile.peakFlopsPerSecond.fp32);
      expect(device.memoryBandwidthBytesPerSecond).toBe(profile.memoryBandwidthBytesPerSecond);
      expect(loadCalibration(join(dir, 'missing.json'))).toBeUndefined();
      writeFileSync(
        join(dir, 'bad.json'),
        JSON.stringify({ ...profile, memoryBandwidthBytesPerSecond: -1, version: 2 }),
      );
      expect(() => loadCalibration(join(dir, 'bad.json'))).toThrow(
        /memoryBandwidthBytesPerSecond.*version|version.*memoryBandwidthBytesPerSecond/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a file that is not JSON', () => {
    expect(() => parseCalibration('{oops', 'c.json')).toThrow(CalibrationFileError);
    expect(() => parseCalibration('{oops', 'c.json')).toThrow(/c.json: not JSON .*--recalibrate/);
  });
});
