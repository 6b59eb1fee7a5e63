import { afterAll, describe, expect, it } from 'vitest';
import { concreteInput, decodeCacheInputSpecs } from '../model/cache-inputs.js';
import type { WeightPrecision } from '../model/config.js';
import { kvElementsPerTokenPerLayer, kvStreams } from '../model/kv-layout.js';
import { microConfig, VARIANT_IDS, type VariantId } from '../model/presets.js';
import { decodeFeeds } from './graph-io.js';
import { KernelRunner } from './kernel-runner.js';

const TEXT = [256, 84, 104, 101, 32, 113, 117, 105, 99, 107, 32, 98, 114, 111, 119, 110];
const OTHER = [256, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

const runners: KernelRunner[] = [];
/** kTileTokens 4 makes the 5–16-token sequences below seal K tiles (the default 256 never would). */
function runner(variant: VariantId, weights: WeightPrecision, maxTokens = 64, kTileTokens = 4): KernelRunner {
  const r = new KernelRunner({
    config: microConfig(variant, { weights }),
    prefillLogits: 'all',
    maxTokensPerSequence: maxTokens,
    kTileTokens,
  });
  runners.push(r);
  return r;
}
afterAll(async () => {
  for (const r of runners) await r.close();
});

const CASES: [VariantId, WeightPrecision][] = VARIANT_IDS.flatMap((v) => [
  [v, 'fp32'] as [VariantId, WeightPrecision],
  [v, 'int8'] as [VariantId, WeightPrecision],
]);
CASES.push(['gqa', 'fp16'], ['mla', 'fp16']);

describe('decode with the KV cache reproduces prefill over the whole sequence', () => {
  it.each(CASES)('%s %s', async (variant, weights) => {
    const r = runner(variant, weights);
    const V = r.config.vocabSize;
    const full = await r.prefill('full', TEXT);
    // Prefill the first 5 tokens, then decode the rest one by one, batched with another
    // sequence of a different length (11 → 22 tokens) so the per-sequence branches differ.
    await r.prefill('a', TEXT.slice(0, 5));
    await r.prefill('b', OTHER);
    let worst = 0;
    for (let i = 5; i < TEXT.length; i++) {
      const step = await r.decodeStep(['b', 'a'], [(i * 37) % 256, TEXT[i] ?? 0]);
      expect(step.numRows).toBe(2);
      expect(step.stats.contextTokens).toEqual([OTHER.length + i - 5, i]);
      worst = Math.max(worst, maxAbsDiff(step.logits.subarray(V, 2 * V), full.logits.subarray(i * V, (i + 1) * V)));
    }
    // Same arithmetic in a different order (per-head Gemm vs batched MatMul): fp32 rounding
    // only. int8 quantizes each activation row on its own, so it matches as closely. A cache
    // read at the wrong position or a missing new-token term changes logits by > 1e-1.
    expect(worst).toBeLessThan(1e-4);
    expect(r.contextLength('a')).toBe(TEXT.length);
  });
});

describe('the short-context decode graph (every sequence shorter than a K tile) reproduces prefill', () => {
  it.each(CASES.filter(([v]) => v !== 'mla'))('%s %s, batched, then crossing into tiles', async (variant, weights) => {
    // 8-token tiles: 'a' decodes at L = 5, 6, 7 with 'b' (L = 6, 7) on the short graph; from L = 8 a
    // tile is sealed and the tiled graph takes over, batched with 'b' until 'b' is released.
    const r = runner(variant, weights, 64, 8);
    const V = r.config.vocabSize;
    const full = await r.prefill('full', TEXT);
    await r.prefill('a', TEXT.slice(0, 5));
    await r.prefill('b', OTHER.slice(0, 6));
    let worst = 0;
    for (let i = 5; i < TEXT.length; i++) {
      const ids = i < 7 ? ['b', 'a'] : ['a'];
      const tokens = i < 7 ? [(i * 37) % 256, TEXT[i] ?? 0] : [TEXT[i] ?? 0];
      const step = await r.decodeStep(ids, tokens);
      const row = ids.length - 1;
      worst = Math.max(
        worst,
        maxAbsDiff(step.logits.subarray(row * V, (row + 1) * V), full.logits.subarray(i * V, (i + 1) * V)),
      );
    }
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('decode from the shortest contexts (L = 1 … 8: empty V blocks, every lead size)', () => {
  it.each(['mha', 'gqa', 'mqa', 'moe'] as VariantId[])('%s', async (variant) => {
    const r = runner(variant, 'fp32');
    const V = r.config.vocabSize;
    const full = await r.prefill('full', TEXT.slice(0, 9));
    await r.prefill('s', TEXT.slice(0, 1));
    let worst = 0;
    for (let i = 1; i < 9; i++) {
      const step = await r.decodeStep(['s'], [TEXT[i] ?? 0]);
      worst = Math.max(worst, maxAbsDiff(step.logits, full.logits.subarray(i * V, (i + 1) * V)));
    }
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('sealing and unsealing K tiles at a step', () => {
  it('a step that completes a tile, rolled back, leaves the cache and the next step as before', async () => {
    const r = runner('gqa', 'fp32');
    await r.prefill('s', TEXT.slice(0, 7)); // T = 4: tile 0 sealed, tokens 4–6 open
    const seq = r.sequence('s');
    if (seq === undefined) throw new Error('sequence missing');
    const before = Float32Array.from(seq.buffer);
    const first = await r.decodeStep(['s'], [65]); // writes token 7 and seals tile 1
    expect(seq.sealedTiles).toBe(2);
    const sealedExport = r.exportKv('s', 0, 8);
    r.truncate('s', 7); // unseals tile 1
    expect(seq.sealedTiles).toBe(1);
    // Transposing back is exact: all but token 7's rows are bit-identical to before the step.
    const changed = seq.buffer.filter((x, i) => !Object.is(x, before[i])).length;
    expect(changed).toBe(r.config.numLayers * 4 * 16); // 4 streams × width 16 per layer
    const again = await r.decodeStep(['s'], [65]);
    expect(Buffer.from(again.logits.buffer).equals(Buffer.from(first.logits.buffer))).toBe(true);
    expect(r.exportKv('s', 0, 8).every((b, l) => Buffer.from(b).equals(Buffer.from(sealedExport[l] ?? [])))).toBe(true);
  });
});

describe('prefill over a cached prefix (chunked prefill) reproduces one prefill', () => {
  it.each(VARIANT_IDS)('%s', async (variant) => {
    const r = runner(variant, 'fp32');
    const V = r.config.vocabSize;
    const full = await r.prefill('full', TEXT);
    await r.prefill('c', TEXT.slice(0, 6));
    const rest = await r.prefill('c', TEXT.slice(6));
    expect(rest.stats.contextTokens).toEqual([6]);
    expect(maxAbsDiff(rest.logits, full.logits.subarray(6 * V))).toBeLessThan(1e-4);
  });
});

describe('automatic chunking of long prompts', () => {
  it.each(['gqa', 'moe'] as VariantId[])(
    '%s: chunks of 5 tokens give the one-shot logits and summed counts',
    async (variant) => {
      const config = microConfig(variant, { weights: 'int8' });
      const whole = runner(variant, 'int8');
      const chunked = new KernelRunner({ config, prefillLogits: 'all', prefillChunkTokens: 5 });
      runners.push(chunked);
      const a = await whole.prefill('s', TEXT);
      const b = await chunked.prefill('s', TEXT);
      expect(b.numRows).toBe(TEXT.length);
      expect(maxAbsDiff(a.logits, b.logits)).toBeLessThan(1e-4);
      expect(b.stats.numNewTokens).toBe(TEXT.length);
      expect(b.stats.contextTokens).toEqual([0]);
      // Projections and FFN FLOPs split across chunks; the chunks' attention covers 5·5 + 5·10 +
      // 5·15 + 1·16 = 166 (query, key) pairs instead of 16·16 = 256, so the chunked total is lower.
      expect(b.stats.count.matmulFlops).toBeLessThan(a.stats.count.matmulFlops);
      expect(b.stats.count.kvWriteBytes).toBe(a.stats.count.kvWriteBytes);
      if (config.moe) expect(b.moeExperts?.[1]?.length).toBe(TEXT.length * config.moe.topK);
      expect(chunked.contextLength('s')).toBe(TEXT.length);
    },
  );
});

describe('determinism', () => {
  it.each(VARIANT_IDS)('%s int8: two runners give bit-identical logits', async (variant) => {
    const a = runner(variant, 'int8');
    const b = runner(variant, 'int8');
    const [x, y] = [await a.prefill('s', TEXT), await b.prefill('s', TEXT)];
    expect(Buffer.from(x.logits.buffer).equals(Buffer.from(y.logits.buffer))).toBe(true);
    const [dx, dy] = [await a.decodeStep(['s'], [65]), await b.decodeStep(['s'], [65])];
    expect(Buffer.from(dx.logits.buffer).equals(Buffer.from(dy.logits.buffer))).toBe(true);
  });
});

describe('a decode step does not copy the cache', () => {
  it.each(['gqa', 'mla'] as VariantId[])(
    '%s: KV inputs are views of the preallocated buffer; only row L changes',
    async (variant) => {
      // T = 256: no tile seals at L = 16 → 17, so the step changes exactly one row per stream.
      const r = runner(variant, 'fp32', 40, 256);
      await r.prefill('s', TEXT);
      const seq = r.sequence('s');
      if (seq === undefined) throw new Error('sequence missing');
      const buffer = seq.buffer;
      const before = Float32Array.from(buffer);
      const L = seq.numTokens;
      const streams = kvStreams(r.config);
      // The tensors a step feeds onnxruntime are subarrays of the sequence buffer (same
      // ArrayBuffer, offset = the stream's offset), so onnxruntime reads the cache where it lives.
      for (let l = 0; l < r.config.numLayers; l++) {
        streams.forEach((s, k) => {
          const v = seq.view(l, k, L);
          expect(v.buffer).toBe(buffer.buffer);
          expect(v.byteOffset).toBe(buffer.byteOffset + seq.streamOffset(l, k) * 4);
          expect(v.length).toBe(L * s.width);
        });
      }
      // …and so are the decode feeds, V streams included (fed as a lead and blocks, see
      // cache-inputs.ts): every KV tensor starts at its rows' offset in that buffer.
      const feeds = decodeFeeds(r.config, [seq], [65]);
      for (let l = 0; l < r.config.numLayers; l++) {
        for (const spec of decodeCacheInputSpecs(r.config, 0, l)) {
          const { fromToken, toToken, dims } = concreteInput(spec, L, seq.kTileTokens);
          const data = feeds[spec.name]?.data as Float32Array;
          expect(data.buffer).toBe(buffer.buffer);
          expect(data.byteOffset).toBe(
            buffer.byteOffset + (seq.streamOffset(l, spec.stream) + fromToken * spec.width) * 4,
          );
          expect(data.length).toBe((toToken - fromToken) * spec.width);
          expect(feeds[spec.name]?.dims).toEqual(dims);
        }
      }
      const step = await r.decodeStep(['s'], [65]);
      expect(seq.buffer).toBe(buffer); // no reallocation
      // Exactly the elements of token row L of each stream changed; rows < L are untouched.
      const changed: number[] = [];
      for (let i = 0; i < buffer.length; i++) if (buffer[i] !== before[i]) changed.push(i);
      const expected: number[] = [];
      for (let l = 0; l < r.config.numLayers; l++) {
        streams.forEach((s, k) => {
          const start = seq.streamOffset(l, k) + L * s.width;
          for (let e = 0; e < s.width; e++) expected.push(start + e);
        });
      }
      expect(changed).toEqual(expected);
      // The step's KV write is one token: numLayers × elements per token × 4 bytes, whatever L is.
      expect(step.stats.count.kvWriteBytes).toBe(r.config.numLayers * kvElementsPerTokenPerLayer(r.config) * 4);
    },
  );

  it('outputs and KV writes stay O(1) as the context grows', async () => {
    const r = runner('gqa', 'fp32', 80);
    await r.prefill('short', TEXT.slice(0, 2));
    await r.prefill('long', [...TEXT, ...TEXT, ...TEXT, ...TEXT]);
    const a = await r.decodeStep(['short'], [1]);
    const b = await r.decodeStep(['long'], [1]);
    expect(a.stats.count.kvWriteBytes).toBe(b.stats.count.kvWriteBytes);
    expect(a.logits.length).toBe(b.logits.length);
    // Reads grow with L: 62 more cached tokens × 2 layers × 64 elements × 4 bytes.
    expect(b.stats.count.kvReadBytes - a.stats.count.kvReadBytes).toBe((64 - 2) * 2 * 64 * 4);
  });
});

describe('KV export and import', () => {
  it.each(['mha', 'mla', 'moe'] as VariantId[])(
    '%s: a sequence moved between runners continues identically',
    async (variant) => {
      const src = runner(variant, 'int8');
      const dst = runner(variant, 'int8');
      await src.prefill('s', TEXT.slice(0, 9));
      // Ship the KV in two token ranges, as block transfers would.
      const first = src.exportKv('s', 0, 4);
      const second = src.exportKv('s', 4, 9);
      const perToken = kvElementsPerTokenPerLayer(src.config) * 4;
      expect(first.map((b) => b.byteLength)).toEqual(new Array(src.config.numLayers).fill(4 * perToken));
      expect(dst.importKv('s', 0, first)).toBe(4);
      expect(dst.importKv('s', 4, second)).toBe(9);
      const a = await src.decodeStep(['s'], [TEXT[9] ?? 0]);
      const b = await dst.decodeStep(['s'], [TEXT[9] ?? 0]);
      expect(Buffer.from(a.logits.buffer).equals(Buffer.from(b.logits.buffer))).toBe(true);
      expect(
        Buffer.from(src.exportKv('s', 0, 10)[1] ?? []).equals(Buffer.from(dst.exportKv('s', 0, 10)[1] ?? [])),
      ).toBe(true);
    },
  );

  it('export layout is [stream][token][element] fp32', async () => {
    const r = runner('gqa', 'fp32');
    await r.prefill('s', TEXT.slice(0, 3));
    const seq = r.sequence('s');
    if (seq === undefined) throw new Error('sequence missing');
    const layer1 = new Float32Array((r.exportKv('s', 1, 3)[1] ?? new Uint8Array()).slice().buffer);
    // Stream k1 (index 1, width 16) of layer 1, tokens 1..2, sits after stream k0's 2 rows.
    expect(Array.from(layer1.subarray(2 * 16, 4 * 16))).toEqual(Array.from(seq.view(1, 1, 3).subarray(16, 48)));
  });
});

describe('errors name what was wrong', () => {
  it('rejects bad input and capacity overflow', async () => {
    const r = runner('mqa', 'fp32', 8);
    await expect(r.prefill('s', [])).rejects.toThrow(/tokenIds is empty/);
    await expect(r.prefill('s', [1, 300])).rejects.toThrow(/tokenIds\[1\] = 300/);
    await expect(r.decodeStep(['nope'], [1])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await r.prefill('s', [1, 2, 3, 4, 5, 6, 7]);
    await expect(r.decodeStep(['s', 's'], [1, 2])).rejects.toThrow(/repeat/);
    await r.decodeStep(['s'], [8]);
    await expect(r.decodeStep(['s'], [9])).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(() => r.importKv('t', 3, r.exportKv('s', 0, 2))).toThrow(/gap/);
    expect(r.release('s')).toBe(true);
    expect(r.release('s')).toBe(false);
  });
});
