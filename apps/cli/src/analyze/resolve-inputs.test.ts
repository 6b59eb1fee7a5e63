import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONVENTION_NAMES, DEVICE_IDS, MODEL_IDS, TIER_IDS, WORKFLOW_IDS } from '@oicf/core';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { parseAnalyzeArgs } from './args.js';
import { resolveInputs } from './resolve-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-analyze-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const readText = (path: string) => readFileSync(path, 'utf8');
const resolveArgv = (argv: string[]) => resolveInputs(parseAnalyzeArgs(argv), readText, dir);

describe('resolveInputs: unknown ids list the valid ones', () => {
  it.each([
    [['--model', 'gpt-9', '--device', 'h100'], "unknown model 'gpt-9'; valid: ", MODEL_IDS],
    [['--model', 'llama-3-8b', '--device', 'tpu'], "unknown device 'tpu'; valid: ", DEVICE_IDS],
    [['--workflow', 'gaming'], "unknown workflow 'gaming'; valid: ", WORKFLOW_IDS],
    [['--convention', 'mine'], "unknown convention 'mine'; valid: ", CONVENTION_NAMES],
    [['--model', 'llama-3-8b', '--device', 'h100', '--kv-tier', 'tape'], "unknown tier 'tape'; valid: ", TIER_IDS],
  ])('%j', (argv, prefix, validIds) => {
    const run = () => resolveArgv(argv);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(`${prefix}${validIds.join(', ')}`);
  });

  it('lists presets and element types for an unknown precision', () => {
    expect(() => resolveArgv(['--precision', 'fp6'])).toThrow(
      "unknown precision 'fp6'; valid: fp32, bf16, fp16, fp8, int8, w8a16, w4a16, fp4 (presets) or fp32, bf16, fp16, fp8, int8, int4, fp4",
    );
    expect(() => resolveArgv(['--kv-precision', 'fp6'])).toThrow("unknown --kv-precision 'fp6'; valid: fp32, bf16");
  });
});

describe('resolveInputs: values', () => {
  it('fills a sweep from the default sweep', () => {
    const inputs = resolveArgv([]);
    expect(inputs.workflows.map((w) => w.id)).toEqual(WORKFLOW_IDS);
    expect(inputs.models.length).toBeGreaterThanOrEqual(6);
    expect(inputs.devices.length).toBeGreaterThanOrEqual(6);
    expect(inputs.precisions).toHaveLength(3);
    expect(inputs.convention.name).toBe('oicf');
  });

  it.each([
    [['bf16'], { weights: 'bf16', kv: 'bf16', activations: 'bf16' }],
    [['w4a16'], { weights: 'int4', kv: 'bf16', activations: 'bf16' }],
    // A bare element type applies to weights, KV and math alike.
    [['int4'], { weights: 'int4', kv: 'int4', activations: 'int4' }],
    [['bf16', '--kv-precision', 'fp8'], { weights: 'bf16', kv: 'fp8', activations: 'bf16' }],
  ])('precision %j', ([precision, ...rest], expected) => {
    const inputs = resolveArgv([
      '--model',
      'llama-3-8b',
      '--device',
      'h100',
      '--precision',
      precision as string,
      ...rest,
    ]);
    expect(inputs.precisions).toEqual([expected]);
  });

  it('point queries default to bf16 and carry the KV tier', () => {
    const inputs = resolveArgv(['--model', 'llama-3-8b', '--device', 'h100', '--kv-tier', 'cxl:0.5']);
    expect(inputs.precisions).toEqual([{ weights: 'bf16', kv: 'bf16', activations: 'bf16' }]);
    expect(inputs.kvPlacement?.tier.id).toBe('cxl');
    expect(inputs.kvPlacement?.fractionInTier).toBe(0.5);
  });
});

describe('resolveInputs: user JSON files', () => {
  it('loads a valid model file (relative to the working directory)', () => {
    writeFileSync(
      join(dir, 'tiny.json'),
      JSON.stringify({
        id: 'my-model',
        numLayers: 2,
        hiddenSize: 64,
        numHeads: 4,
        vocabSize: 256,
        ffn: { intermediateSize: 128, gated: true },
        maxContextTokens: 1024,
      }),
    );
    const inputs = resolveArgv(['--model-file', 'tiny.json', '--device', 'h100']);
    expect(inputs.models[0]).toMatchObject({ id: 'my-model', numKvHeads: 4, headDim: 16 });
  });

  it('reports every bad field of a model file', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'x', numLayers: 0, hiddenSize: 'big', ffn: {} }));
    const run = () => resolveArgv(['--model-file', 'bad.json', '--device', 'h100']);
    expect(run).toThrow(UsageError);
    let message = '';
    try {
      run();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^--model-file 'bad.json': invalid model \(\d+ problems\):/);
    for (const path of ['numLayers', 'hiddenSize', 'numHeads', 'vocabSize', 'ffn.intermediateSize', 'ffn.gated']) {
      expect(message).toContain(`\n  ${path}: `);
    }
  });

  // Mistral-7B-v0.1's config.json (mistralai/Mistral-7B-v0.1): a HF checkpoint folder as users have it.
  const mistral = {
    architectures: ['MistralForCausalLM'],
    model_type: 'mistral',
    hidden_size: 4096,
    intermediate_size: 14336,
    max_position_embeddings: 32768,
    num_attention_heads: 32,
    num_hidden_layers: 32,
    num_key_value_heads: 8,
    sliding_window: 4096,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    vocab_size: 32000,
  };

  it('loads a Hugging Face config.json, named after its folder, at its own dtype, with notes', () => {
    mkdirSync(join(dir, 'Mistral-7B-v0.1'), { recursive: true });
    writeFileSync(join(dir, 'Mistral-7B-v0.1', 'config.json'), JSON.stringify(mistral));
    const inputs = resolveArgv(['--model-file', 'Mistral-7B-v0.1/config.json', '--device', 'h100']);
    expect(inputs.models[0]).toMatchObject({ id: 'mistral-7b-v0.1', numKvHeads: 8, headDim: 128 });
    expect(inputs.models[0]?.source).toMatch(/^Mistral-7B-v0\.1\/config\.json \(model_type 'mistral'\): 32 layers/);
    // torch_dtype float32 → a point query at fp32 unless --precision says otherwise.
    expect(inputs.precisions).toEqual([{ weights: 'fp32', kv: 'fp32', activations: 'fp32' }]);
    expect(inputs.modelNotes).toEqual([
      expect.stringMatching(/^sliding_window 4,096 on every layer is not modelled/),
      "precision fp32 from the config's torch_dtype (override with --precision)",
    ]);
    const bf16 = resolveArgv([
      '--model-file',
      'Mistral-7B-v0.1/config.json',
      '--device',
      'h100',
      '--precision',
      'bf16',
    ]);
    expect(bf16.precisions[0]?.weights).toBe('bf16');
    expect(bf16.modelNotes).toHaveLength(1);
  });

  it('names the HF field a config.json lacks', () => {
    const { num_hidden_layers: _, ...broken } = mistral;
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    expect(() => resolveArgv(['--model-file', 'broken.json', '--device', 'h100'])).toThrow(
      "--model-file 'broken.json': invalid HF config.json (model_type 'mistral') (1 problem):\n  num_hidden_layers: must be an integer ≥ 1, got nothing (missing) (required for model_type 'mistral')",
    );
  });

  it('names unreadable and non-JSON files', () => {
    expect(() => resolveArgv(['--model', 'llama-3-8b', '--device-file', 'missing.json'])).toThrow(
      "--device-file: cannot read 'missing.json' (ENOENT)",
    );
    writeFileSync(join(dir, 'not.json'), '{ nope');
    expect(() => resolveArgv(['--workflow-file', 'not.json'])).toThrow(
      /^--workflow-file: 'not.json' is not valid JSON/,
    );
  });
});
