import { describe, expect, it } from 'vitest';
import { analyzePoint } from '../analysis/analyze-point.js';
import { unwrap } from '../errors.js';
import { getDevice } from '../hardware/devices.js';
import { getModel } from '../models/lookup.js';
import type { PrecisionConfig, PrecisionId } from '../types.js';
import figures from './llm-viewer-figures.json' with { type: 'json' };

// LLM-Viewer's own figures (produced by running its Python; see the fixture's `source` and
// packages/oicf/fixtures/llm-viewer/README.md, which also says how to regenerate it). The llm-viewer preset must agree within 5% on FLOPs and bytes.
// Known, deliberate differences (all < 1.1%): we count the final norm and the norm weights, the
// prefill Q read over all heads (LLM-Viewer uses kv heads) and lm_head activations per sequence.

interface Case {
  model: string;
  phase: 'prefill' | 'decode';
  batch: number;
  promptTokens?: number;
  contextTokens?: number;
  weightBits: number;
  activationBits: number;
  kvBits: number;
  flops: number;
  memoryAccessBytes: number;
  breakdown: { loadKvCacheBytes: number; storeKvCacheBytes: number };
}

const cases = (figures as { cases: Case[] }).cases;
const bits: Record<number, PrecisionId> = { 16: 'fp16', 8: 'int8', 4: 'int4' };
const device = unwrap(getDevice('h100'));

function analyze(c: Case) {
  const precision: PrecisionConfig = {
    weights: bits[c.weightBits] as PrecisionId,
    kv: bits[c.kvBits] as PrecisionId,
    activations: bits[c.activationBits] as PrecisionId,
  };
  const common = { model: unwrap(getModel(c.model)), device, precision, convention: 'llm-viewer' } as const;
  return c.phase === 'prefill'
    ? analyzePoint({ ...common, phase: 'prefill', batch: c.batch, newTokens: c.promptTokens ?? 0 })
    : analyzePoint({ ...common, phase: 'decode', batch: c.batch, contextTokens: c.contextTokens ?? 0 });
}

describe('llm-viewer preset agrees with LLM-Viewer', () => {
  it('has the fixture (36 cases: 2 models × 3 weight widths × 6 points)', () => {
    expect(cases.length).toBe(36);
  });

  it.each(
    cases.map(
      (c) => [`${c.model} ${c.phase} B${c.batch} L${c.promptTokens ?? c.contextTokens} w${c.weightBits}`, c] as const,
    ),
  )('%s within 5%', (_label, c) => {
    const result = analyze(c);
    expect(Math.abs(result.flops / c.flops - 1)).toBeLessThan(0.05);
    expect(Math.abs(result.bytes.totalBytes / c.memoryAccessBytes - 1)).toBeLessThan(0.05);
    // KV traffic follows the same rules exactly: decode reads L tokens, unfused prefill reads
    // back all L just written, and every new token's K/V is stored once.
    expect(result.bytes.kvReadBytes).toBe(c.breakdown.loadKvCacheBytes);
    expect(result.bytes.kvWriteBytes).toBe(c.breakdown.storeKvCacheBytes);
  });

  it('differs from the paper convention by far more than 5% on prefill bytes (the unfused score matrix)', () => {
    const c = cases.find((x) => x.model === 'llama-2-7b' && x.phase === 'prefill' && x.promptTokens === 4096);
    if (!c) throw new Error('fixture case missing');
    const precision: PrecisionConfig = { weights: 'fp16', kv: 'fp16', activations: 'fp16' };
    const paper = analyzePoint({
      model: unwrap(getModel('llama-2-7b')),
      device,
      precision,
      convention: 'paper',
      phase: 'prefill',
      batch: 1,
      newTokens: 4096,
    });
    expect(paper.bytes.totalBytes / c.memoryAccessBytes).toBeLessThan(0.2);
  });
});
