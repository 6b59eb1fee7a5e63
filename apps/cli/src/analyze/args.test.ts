import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { parseAnalyzeArgs } from './args.js';

describe('parseAnalyzeArgs: mode', () => {
  it.each([
    [[], 'sweep'],
    [['--model', 'llama-3-8b', '--device', 'h100'], 'point'],
    [['--workflow', 'coding'], 'sweep'],
    [['--sweep', '--model', 'llama-3-8b'], 'sweep'],
    [['--model-file', 'm.json', '--device', 'h100'], 'point'],
    [['--precision', 'fp8'], 'sweep'],
    // Not one model and one device, no point flag: a sweep restricted to what was given.
    [['--device', 'h100'], 'sweep'],
    [['--model', 'llama-3-8b'], 'sweep'],
    [['--model', 'a,b', '--device', 'h100'], 'sweep'],
    [['--device-file', 'd.json'], 'sweep'],
    // A point flag makes it a point query even without --model/--device (then it fails, below).
    [['--model', 'llama-3-8b', '--device', 'h100', '--phase', 'prefill'], 'point'],
  ])('%j → %s', (argv, mode) => {
    expect(parseAnalyzeArgs(argv).mode).toBe(mode);
  });

  it('reads lists from repeated flags and commas', () => {
    const args = parseAnalyzeArgs(['--sweep', '--model', 'a,b', '--model', 'c', '--device', ' h100 , h200 ']);
    expect(args.models).toEqual(['a', 'b', 'c']);
    expect(args.devices).toEqual(['h100', 'h200']);
  });

  it('applies defaults', () => {
    expect(parseAnalyzeArgs([])).toMatchObject({
      phase: 'decode',
      numTurns: 30,
      seed: 1,
      decodeBatch: 'max',
      format: 'table',
      outDir: 'out/analyze',
      writeFiles: true,
    });
  });

  it('parses point flags', () => {
    const args = parseAnalyzeArgs([
      '--model=llama-3.1-70b',
      '--device',
      'h100',
      '--phase',
      'prefill',
      '--batch',
      '8',
      '--context',
      '1e5',
      '--prompt',
      '2048',
      '--tp',
      '8',
      '--kv-tier',
      'cxl:0.25',
      '--json',
      '--no-files',
    ]);
    expect(args).toMatchObject({
      mode: 'point',
      phase: 'prefill',
      batch: 8,
      contextTokens: 100_000,
      promptTokens: 2048,
      numTensorParallel: 8,
      kvTier: { id: 'cxl', fractionInTier: 0.25 },
      format: 'json',
      writeFiles: false,
    });
    expect(parseAnalyzeArgs(['--model', 'm', '--device', 'd', '--kv-tier', 'nvme']).kvTier).toEqual({
      id: 'nvme',
      fractionInTier: 1,
    });
  });
});

describe('parseAnalyzeArgs: errors name the flag', () => {
  const point = ['--model', 'llama-3-8b', '--device', 'h100'];
  it.each([
    [[...point, '--batch', 'abc'], "--batch must be an integer ≥ 1, got 'abc'"],
    [[...point, '--batch', '0'], "--batch must be an integer ≥ 1, got '0'"],
    [[...point, '--batch', '2.5'], "--batch must be an integer ≥ 1, got '2.5'"],
    [[...point, '--context=-5'], "--context must be an integer ≥ 0, got '-5'"],
    [[...point, '--prompt', '12k'], "--prompt must be an integer ≥ 1, got '12k'"],
    [[...point, '--tp', ''], "--tp must be an integer ≥ 1, got ''"],
    [[...point, '--kv-tier', 'cxl:1.5'], "--kv-tier fraction must be a number in [0, 1], got '1.5'"],
    [[...point, '--kv-tier', 'cxl:a:b'], "--kv-tier must look like <tier> or <tier>:<fraction>, got 'cxl:a:b'"],
    [[...point, '--phase', 'train'], "--phase must be prefill or decode, got 'train'"],
    [['--turns', '0'], "--turns must be an integer ≥ 1, got '0'"],
    [['--decode-batch', 'many'], "--decode-batch must be an integer ≥ 1 or 'max', got 'many'"],
    [['--seed', '-1'], /--seed needs a value, but the next argument is a flag; .* write --seed=<value>/],
    [[...point, '--batch'], '--batch needs a value: --batch <value>'],
    [['--modle', 'x'], "unknown option '--modle' (did you mean '--model'?)"],
    [['extra'], "unexpected argument 'extra' (options start with --)"],
    [['--json', '--csv'], 'choose one of --json and --csv'],
    [
      ['--model', 'llama-3-8b', '--phase', 'decode'],
      'a point query needs exactly one device: --device <id> or --device-file <json>, got 0 (--phase makes this a point query; drop them for a sweep)',
    ],
    [
      ['--device', 'h100', '--phase', 'prefill', '--batch', '2'],
      'a point query needs exactly one model: --model <id> or --model-file <json>, got 0 (--phase, --batch make this',
    ],
    [
      ['--model', 'a,b', '--device', 'h100', '--context', '10'],
      'a point query needs exactly one model: --model <id> or --model-file <json>, got 2 (--context makes this',
    ],
    [[...point, '--precision', 'bf16,fp8'], 'a point query takes one --precision'],
    [['--workflow', 'chat', '--batch', '4'], /--batch apply to point queries/],
    [['--model', 'a', '--model-file', 'm.json', '--sweep'], 'give --model or --model-file, not both'],
  ])('%j', (argv, message) => {
    const run = () => parseAnalyzeArgs(argv);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});
