import type { TinyModelConfig } from './config.js';
import { fillUniform, matrix } from './weights.js';

/**
 * Generates each fp32 master tensor of one model once, so the prefill graph and every decode
 * graph (one per batch size) embed identical values. Values depend only on (config.seed, name,
 * shape): see weights.ts.
 */
export class WeightStore {
  private readonly cache = new Map<string, Float32Array>();
  private readonly derivedCache = new Map<string, unknown>();

  constructor(readonly config: TinyModelConfig) {}

  /** A [fanIn, fanOut] projection with variance 1/fanIn. */
  matrix(name: string, fanIn: number, fanOut: number): Float32Array {
    return this.memo(`${name}|${fanIn}x${fanOut}`, () => matrix(this.config.seed, name, fanIn, fanOut));
  }

  /** `numBlocks` stacked [fanIn, fanOut] projections (one per head or expert), each variance 1/fanIn. */
  stacked(name: string, numBlocks: number, fanIn: number, fanOut: number): Float32Array {
    return this.memo(`${name}|${numBlocks}x${fanIn}x${fanOut}`, () =>
      fillUniform(new Float32Array(numBlocks * fanIn * fanOut), this.config.seed, name, Math.sqrt(3 / fanIn)),
    );
  }

  /** RMSNorm gains near 1 (1 ± 0.1), distinct per norm. */
  normGain(name: string, size: number): Float32Array {
    return this.memo(`${name}|norm${size}`, () => {
      const g = fillUniform(new Float32Array(size), this.config.seed, name, 0.1);
      for (let i = 0; i < size; i++) g[i] = 1 + (g[i] ?? 0);
      return g;
    });
  }

  /** Embedding table [vocab, hidden], entries uniform in ±1. */
  embedding(name: string, vocab: number, hidden: number): Float32Array {
    return this.memo(`${name}|emb${vocab}x${hidden}`, () =>
      fillUniform(new Float32Array(vocab * hidden), this.config.seed, name, 1),
    );
  }

  /** Memoizes a value derived from master tensors (quantized or fp16 copies) under `key`. */
  derived<T>(key: string, make: () => T): T {
    if (this.derivedCache.has(key)) return this.derivedCache.get(key) as T;
    const v = make();
    this.derivedCache.set(key, v);
    return v;
  }

  private memo(key: string, make: () => Float32Array): Float32Array {
    let t = this.cache.get(key);
    if (t === undefined) {
      t = make();
      this.cache.set(key, t);
    }
    return t;
  }
}
