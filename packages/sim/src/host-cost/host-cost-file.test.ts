import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZERO_HOST_COST } from './host-cost.js';
import { HOST_COST_FILE_VERSION, type HostCostFile, loadHostCostFile, saveHostCostFile } from './host-cost-file.js';

const FILE: HostCostFile = {
  version: HOST_COST_FILE_VERSION,
  fittedAtIso: '2026-12-07T00:00:00.000Z',
  source: 'test',
  loadAverage: [1, 1],
  cost: { ...ZERO_HOST_COST, router: { secondsPerRequest: 0.001, secondsPerToken: 0, busyCores: 0.1 } },
  kvLink: { bandwidthBytesPerSecond: 3e8, latencySeconds: 0.0002 },
  fits: [],
};

describe('host-cost file', () => {
  it('round-trips, and a missing file is undefined', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-cost-'));
    const path = join(dir, 'sub', 'host-cost.json');
    expect(loadHostCostFile(path)).toBeUndefined();
    saveHostCostFile(path, FILE);
    expect(loadHostCostFile(path)).toEqual(FILE);
  });

  it('refuses a bad file naming the file and each bad field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-cost-'));
    const path = join(dir, 'host-cost.json');
    const bad = {
      ...FILE,
      cost: { ...FILE.cost, decode: { ...FILE.cost.decode, secondsPerStep: -1 } },
      kvLink: { bandwidthBytesPerSecond: 0, latencySeconds: 0 },
    };
    writeFileSync(path, JSON.stringify(bad));
    expect(() => loadHostCostFile(path)).toThrow(
      /host-cost\.json: cost\.decode\.secondsPerStep: expected a finite number ≥ 0, got -1; kvLink\.bandwidthBytesPerSecond/,
    );
    writeFileSync(path, '{');
    expect(() => loadHostCostFile(path)).toThrow(/host-cost\.json: not JSON/);
  });

  it('keeps a measured handoff cost, and refuses one with a bad field naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-cost-'));
    const path = join(dir, 'host-cost.json');
    const handoff = { sendSecondsPerByte: 2e-9, importSecondsPerByte: 3e-9, offPathSecondsPerByte: 3e-8 };
    const withHandoff = { ...FILE, cost: { ...FILE.cost, handoff } };
    saveHostCostFile(path, withHandoff);
    expect(loadHostCostFile(path)?.cost.handoff).toEqual(handoff);
    writeFileSync(
      path,
      JSON.stringify({ ...FILE, cost: { ...FILE.cost, handoff: { ...handoff, importSecondsPerByte: 'x' } } }),
    );
    expect(() => loadHostCostFile(path)).toThrow(
      /cost\.handoff\.importSecondsPerByte: expected a finite number ≥ 0, got "x"/,
    );
  });

  it('keeps a measured loop flush, and refuses one with a bad field naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-cost-'));
    const path = join(dir, 'host-cost.json');
    const loopFlush = { secondsPerStep: 0.0004, secondsPerSequence: 0.0002 };
    saveHostCostFile(path, {
      ...FILE,
      cost: { ...FILE.cost, decode: { ...FILE.cost.decode, loopFlush, finishSeconds: 0.002 } },
    });
    expect(loadHostCostFile(path)?.cost.decode.loopFlush).toEqual(loopFlush);
    expect(loadHostCostFile(path)?.cost.decode.finishSeconds).toBe(0.002);
    const bad = {
      ...FILE,
      cost: { ...FILE.cost, decode: { ...FILE.cost.decode, loopFlush: { secondsPerStep: -1 }, finishSeconds: 'x' } },
    };
    writeFileSync(path, JSON.stringify(bad));
    expect(() => loadHostCostFile(path)).toThrow(
      /cost\.decode\.loopFlush\.secondsPerStep: expected a finite number ≥ 0, got -1; cost\.decode\.loopFlush\.secondsPerSequence.*cost\.decode\.finishSeconds/,
    );
  });

  it('keeps a measured pace cost (round 7), reads a file without it as before, and refuses a bad one by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-cost-'));
    const path = join(dir, 'host-cost.json');
    saveHostCostFile(path, FILE);
    expect(loadHostCostFile(path)?.cost.decode.loopPace).toBeUndefined();
    saveHostCostFile(path, {
      ...FILE,
      cost: { ...FILE.cost, decode: { ...FILE.cost.decode, loopPace: { secondsPerStep: 0.0005 } } },
    });
    expect(loadHostCostFile(path)?.cost.decode.loopPace).toEqual({ secondsPerStep: 0.0005 });
    const bad = { ...FILE, cost: { ...FILE.cost, decode: { ...FILE.cost.decode, loopPace: { secondsPerStep: 'x' } } } };
    writeFileSync(path, JSON.stringify(bad));
    expect(() => loadHostCostFile(path)).toThrow(
      /cost\.decode\.loopPace\.secondsPerStep: expected a finite number ≥ 0, got "x"/,
    );
  });

  it('keeps the measured prefill kernel level and send CPU (round 7c), reads a file without them as before, refuses bad ones by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-cost-'));
    const path = join(dir, 'host-cost.json');
    saveHostCostFile(path, FILE);
    expect(loadHostCostFile(path)?.cost.prefill.kernelScale).toBeUndefined();
    expect(loadHostCostFile(path)?.cost.prefill.sendCpu).toBeUndefined();
    const sendCpu = { secondsPerSend: 0.02, secondsPerByte: 4e-9 };
    saveHostCostFile(path, {
      ...FILE,
      cost: { ...FILE.cost, prefill: { ...FILE.cost.prefill, kernelScale: 1.1, sendCpu } },
    });
    expect(loadHostCostFile(path)?.cost.prefill.kernelScale).toBe(1.1);
    expect(loadHostCostFile(path)?.cost.prefill.sendCpu).toEqual(sendCpu);
    const bad = {
      ...FILE,
      cost: { ...FILE.cost, prefill: { ...FILE.cost.prefill, kernelScale: 0, sendCpu: { secondsPerSend: -1 } } },
    };
    writeFileSync(path, JSON.stringify(bad));
    expect(() => loadHostCostFile(path)).toThrow(
      /cost\.prefill\.kernelScale: expected a finite number > 0, got 0; cost\.prefill\.sendCpu\.secondsPerSend: expected a finite number ≥ 0, got -1; cost\.prefill\.sendCpu\.secondsPerByte/,
    );
  });
});
