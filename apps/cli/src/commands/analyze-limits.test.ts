import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SWEEP } from '@oicf/core';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../testing/capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-analyze-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function analyze(argv: string[]) {
  const io = captureIo(dir);
  const code = await main(['analyze', ...argv, '--no-files'], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('oicf analyze --tp: limits named', () => {
  it.each([
    // HGX H100 boards hold 8 GPUs (scaleUp.maxDomainDevices 8); Llama-3.1-70B's 64 heads split over 64.
    [
      ['--model', 'llama-3.1-70b', '--device', 'h100', '--tp', '64'],
      "--tp 64: 64 devices exceed h100's scale-up domain of 8",
    ],
    // Llama-3-8B has 32 attention heads; 32 / 3 is not whole.
    [
      ['--model', 'llama-3-8b', '--device', 'h100', '--tp', '3'],
      "--tp 3: llama-3-8b's 32 attention heads do not split evenly over 3 devices (use a divisor of 32)",
    ],
    // Rubin CPX has no scale-up link in the catalog.
    [
      ['--model', 'llama-3-8b', '--device', 'rubin-cpx', '--tp', '2'],
      "--tp 2: sharding.link: device 'rubin-cpx' has no scale-up link",
    ],
  ])('%j', async (argv, message) => {
    const r = await analyze(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`oicf analyze: ${message}`);
  });

  it('accepts a divisor within the domain: --tp 8 for Llama-3.1-70B on H100', async () => {
    const r = await analyze(['--model', 'llama-3.1-70b', '--device', 'h100', '--tp', '8', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).numDevices).toBe(8);
  });
});

describe('oicf analyze --context beyond the model: a warning, not an error', () => {
  // Llama-2-7B's max_position_embeddings is 4,096 (config.json).
  it('warns on stderr naming the limit and lists it under "warnings" in --json', async () => {
    const r = await analyze(['--model', 'llama-2-7b', '--device', 'h100', '--context', '100000', '--json']);
    expect(r.code).toBe(0);
    const warning =
      "--context 100,000 is beyond llama-2-7b's maximum of 4,096 positions; figures extrapolate the model";
    expect(r.stderr).toBe(`oicf analyze: warning: ${warning}\n`);
    expect(JSON.parse(r.stdout).warnings).toEqual([warning]);
  });

  it('warns in the text report too, and for prefill counts cached + new tokens (3,000 + 2,000 = 5,000)', async () => {
    const r = await analyze([
      '--model',
      'llama-2-7b',
      '--device',
      'h100',
      '--phase',
      'prefill',
      '--context',
      '3000',
      '--prompt',
      '2000',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "oicf analyze: warning: --context 3,000 + --prompt 2,000 = 5,000 tokens is beyond llama-2-7b's maximum of 4,096 positions",
    );
  });

  it.each([[['--context', '4096']], [['--phase', 'prefill', '--prompt', '4096']]])(
    'no warning at the limit: %j',
    async (extra) => {
      const r = await analyze(['--model', 'llama-2-7b', '--device', 'h100', ...extra, '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).warnings).toEqual([]);
    },
  );
});

describe('oicf analyze: --model/--device alone restrict the sweep', () => {
  it('--device h100 sweeps every default model on h100 only', async () => {
    const r = await analyze([
      '--device',
      'h100',
      '--workflow',
      'chat',
      '--precision',
      'bf16',
      '--turns',
      '2',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { summaries: { deviceId: string; modelId: string }[] };
    expect(new Set(body.summaries.map((s) => s.deviceId))).toEqual(new Set(['h100']));
    expect(new Set(body.summaries.map((s) => s.modelId))).toEqual(new Set(DEFAULT_SWEEP.models));
  });

  it('two models and one device sweep both', async () => {
    const r = await analyze([
      '--model',
      'llama-3-8b,llama-2-7b',
      '--device',
      'h100',
      '--turns',
      '2',
      '--workflow',
      'chat',
      '--precision',
      'bf16',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { summaries: { modelId: string }[] };
    expect(body.summaries.map((s) => s.modelId).sort()).toEqual(['llama-2-7b', 'llama-3-8b']);
  });

  it('with --phase it stays a point query and the error names the flags', async () => {
    const r = await analyze(['--device', 'h100', '--phase', 'decode']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'oicf analyze: a point query needs exactly one model: --model <id> or --model-file <json>, got 0 (--phase makes this a point query; drop them for a sweep)',
    );
  });
});
