import { describe, expect, it } from 'vitest';
import {
  cacheSplit,
  concreteInput,
  DECODE_V_BLOCKS,
  decodeCacheDims,
  decodeCacheInputSpecs,
  prefillCacheDims,
  prefillCacheInputSpecs,
  symbolicDims,
} from './cache-inputs.js';
import { microConfig } from './presets.js';

describe('cacheSplit: L = nT·T + o (K tiles) = r + 4·m (V blocks)', () => {
  it.each([
    // L, T, sealed tiles nT = ⌊L/T⌋, open rows o = L mod T, V lead r = L mod 4, block rows m = ⌊L/4⌋
    [1, 4, 0, 1, 1, 0],
    [3, 4, 0, 3, 3, 0],
    [4, 4, 1, 0, 0, 1],
    [11, 4, 2, 3, 3, 2],
    [16_384, 256, 64, 0, 0, 4096],
    [16_385, 256, 64, 1, 1, 4096],
    [16_643, 256, 65, 3, 3, 4160],
  ])('L = %i, T = %i → nT = %i, o = %i, r = %i, m = %i', (L, T, tiles, openTokens, leadTokens, blockTokens) => {
    expect(DECODE_V_BLOCKS).toBe(4);
    expect(cacheSplit(L, T)).toEqual({ tiles, openTokens, leadTokens, blockTokens });
    expect(decodeCacheDims(2, L, T)).toEqual({
      'contextTokens.b2': L,
      'kTiles.b2': tiles,
      'kOpenTokens.b2': openTokens,
      'kvLeadTokens.b2': leadTokens,
      'kvBlockTokens.b2': blockTokens,
    });
    expect(prefillCacheDims(L, T)).toMatchObject({
      numPastTokens: L,
      numPastTiles: tiles,
      numPastOpenTokens: openTokens,
    });
  });
});

describe('cache inputs', () => {
  it('decode, dense: K as tiles + open rows; V as lead + blocks; ranges tile the rows in order', () => {
    const specs = decodeCacheInputSpecs(microConfig('gqa'), 1, 0);
    // micro-gqa: 2 KV heads of width 16; storage order k0 k1 v0 v1 (stream indices 0–3).
    expect(specs.map((s) => [s.name, s.stream, s.kind, symbolicDims(s, 1, 4)])).toEqual([
      ['kv.b1.l0.k0', 0, 'k-tiles', ['kTiles.b1', 16, 4]],
      ['kv.b1.l0.k0.open', 0, 'k-open', [1, 'kOpenTokens.b1', 16]],
      ['kv.b1.l0.k1', 1, 'k-tiles', ['kTiles.b1', 16, 4]],
      ['kv.b1.l0.k1.open', 1, 'k-open', [1, 'kOpenTokens.b1', 16]],
      ['kv.b1.l0.v0.lead', 2, 'v-lead', [1, 'kvLeadTokens.b1', 16]],
      ['kv.b1.l0.v0', 2, 'v-blocks', [4, 'kvBlockTokens.b1', 16]],
      ['kv.b1.l0.v1.lead', 3, 'v-lead', [1, 'kvLeadTokens.b1', 16]],
      ['kv.b1.l0.v1', 3, 'v-blocks', [4, 'kvBlockTokens.b1', 16]],
    ]);
    // L = 11, T = 4: K tiles = tokens [0, 8) as [2, 16, 4], open [8, 11) as [1, 3, 16];
    // V lead [0, 3) as [1, 3, 16], blocks [3, 11) as [4, 2, 16].
    expect(
      specs
        .slice(0, 2)
        .concat(specs.slice(4, 6))
        .map((s) => concreteInput(s, 11, 4)),
    ).toEqual([
      { fromToken: 0, toToken: 8, dims: [2, 16, 4] },
      { fromToken: 8, toToken: 11, dims: [1, 3, 16] },
      { fromToken: 0, toToken: 3, dims: [1, 3, 16] },
      { fromToken: 3, toToken: 11, dims: [4, 2, 16] },
    ]);
  });

  it.each([1, 2, 3, 4, 7, 8, 13])('L = %i: each stream’s inputs cover rows [0, L) once, dims match the rows', (L) => {
    const specs = decodeCacheInputSpecs(microConfig('mha'), 0, 1);
    for (const stream of [0, 4]) {
      const [a, b] = specs.filter((s) => s.stream === stream).map((s) => concreteInput(s, L, 4));
      if (a === undefined || b === undefined) throw new Error(`stream ${stream} inputs missing`);
      expect([a.fromToken, a.toToken === b.fromToken, b.toToken]).toEqual([0, true, L]);
      const rows = (d: number[]) => d.reduce((x, y) => x * y, 1) / 16;
      expect(rows(a.dims) + rows(b.dims)).toBe(L);
    }
  });

  it('prefill: dense K as tiles + open rows, V as [P, w] rows', () => {
    expect(
      prefillCacheInputSpecs(microConfig('mqa'), 1).map((s) => [s.name, s.kind, concreteInput(s, 6, 4).dims]),
    ).toEqual([
      ['past.l1.k0', 'k-tiles', [1, 16, 4]],
      ['past.l1.k0.open', 'k-open', [1, 2, 16]],
      ['past.l1.v0', 'rows', [6, 16]],
    ]);
  });

  it('MLA: latent and rope key streams stay one [L, width] input each', () => {
    const specs = decodeCacheInputSpecs(microConfig('mla'), 0, 1);
    expect(specs.map((s) => [s.name, s.kind, concreteInput(s, 6, 4).dims])).toEqual([
      ['kv.b0.l1.c0', 'rows', [6, 32]],
      ['kv.b0.l1.kr0', 'rows', [6, 8]],
    ]);
  });
});
