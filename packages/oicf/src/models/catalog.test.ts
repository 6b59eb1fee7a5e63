import { describe, expect, it } from 'vitest';
import { DEVICES } from '../hardware/devices.js';
import { parseDeviceSpec } from '../parse/device-schema.js';
import { parseModelSpec } from '../parse/model-schema.js';
import { parseWorkflowSpec } from '../parse/workflow-schema.js';
import { WORKFLOWS } from '../workflows/catalog.js';
import { MODELS } from './catalog.js';
import { getModel, MODEL_IDS } from './lookup.js';

describe('catalogs', () => {
  it('every entry carries a source note and passes its own validator unchanged', () => {
    for (const model of MODELS) {
      expect(model.source.length, model.id).toBeGreaterThan(20);
      expect(parseModelSpec(JSON.parse(JSON.stringify(model)))).toEqual({ ok: true, value: model });
    }
    for (const device of DEVICES) {
      expect(device.source.length, device.id).toBeGreaterThan(20);
      expect(parseDeviceSpec(JSON.parse(JSON.stringify(device)))).toEqual({ ok: true, value: device });
    }
    for (const workflow of WORKFLOWS) {
      expect(workflow.source.length, workflow.id).toBeGreaterThan(20);
      expect(parseWorkflowSpec(JSON.parse(JSON.stringify(workflow)))).toEqual({ ok: true, value: workflow });
    }
  });

  it('has the models the brief asks for, with unique ids', () => {
    for (const id of ['llama-2-7b', 'llama-3-8b', 'llama-3.1-70b', 'mixtral-8x7b', 'deepseek-v3', 'llama-2-13b']) {
      expect(MODEL_IDS).toContain(id);
    }
    for (const id of ['tiny-mha', 'tiny-gqa', 'tiny-mla', 'tiny-moe']) expect(MODEL_IDS).toContain(id);
    expect(new Set(MODEL_IDS).size).toBe(MODEL_IDS.length);
  });

  it('returns an unknown id as a NOT_FOUND value listing every valid id', () => {
    const result = getModel('llama-4');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('NOT_FOUND');
    expect(result.error.message).toBe(`unknown model 'llama-4'; valid: ${MODEL_IDS.join(', ')}`);
    expect(result.error.validIds).toEqual(MODEL_IDS);
  });

  it('keeps the tiny family on one shape the kernels can mirror', () => {
    const tiny = MODELS.filter((model) => model.id.startsWith('tiny-'));
    for (const model of tiny) {
      expect([model.numLayers, model.hiddenSize, model.numHeads, model.vocabSize]).toEqual([4, 512, 8, 259]);
    }
    expect(tiny.find((m) => m.id === 'tiny-gqa')?.numKvHeads).toBe(2);
    expect(tiny.find((m) => m.id === 'tiny-moe')?.moe).toMatchObject({ numExperts: 8, topK: 2 });
  });
});
