import type { WeightStore } from '../model/weight-store.js';

/**
 * Test support: a plain-JS, loop-by-loop forward pass of an fp32 tiny model over tokens at
 * positions 0 … T−1, reading the same master weights the graph builders embed. It is the
 * oracle for the graphs' semantics (RMSNorm, rotate-half RoPE, causal GQA, MLA with the rope
 * key shared by every head, top-k MoE with softmax over the selected logits, SwiGLU).
 * Returns logits [T, vocab] row-major. Slow by design; use micro configs.
 */
export function referenceForward(w: WeightStore, tokens: readonly number[]): Float32Array {
  const c = w.config;
  const d = c.hiddenSize;
  const T = tokens.length;
  const emb = w.embedding('embed', c.vocabSize, d);
  let x = tokens.map((t) => Array.from(emb.subarray(t * d, (t + 1) * d)));
  for (let l = 0; l < c.numLayers; l++) {
    const h = x.map((row) => rmsNorm(row, w.normGain(`l${l}.attn_norm`, d), c.rmsNormEpsilon));
    const attn = c.mla ? mlaAttention(w, l, h) : denseAttention(w, l, h);
    x = x.map((row, t) => add(row, attn[t] ?? []));
    const h2 = x.map((row) => rmsNorm(row, w.normGain(`l${l}.ffn_norm`, d), c.rmsNormEpsilon));
    const f = h2.map((row) => (c.moe ? moe(w, l, row) : swiglu(w, `l${l}.ffn`, row, c.ffnIntermediateSize)));
    x = x.map((row, t) => add(row, f[t] ?? []));
  }
  const out = new Float32Array(T * c.vocabSize);
  x.forEach((row, t) => {
    const logits = matVec(
      rmsNorm(row, w.normGain('final_norm', d), c.rmsNormEpsilon),
      w.matrix('lm_head', d, c.vocabSize),
      c.vocabSize,
    );
    out.set(logits, t * c.vocabSize);
  });
  return out;
}

function add(a: number[], b: number[]): number[] {
  return a.map((v, i) => v + (b[i] ?? 0));
}

function rmsNorm(x: number[], gain: Float32Array, eps: number): number[] {
  const ms = x.reduce((a, v) => a + v * v, 0) / x.length;
  const inv = 1 / Math.sqrt(ms + eps);
  return x.map((v, i) => v * inv * (gain[i] ?? 0));
}

/** row [n] · W [n, m] (row-major). */
function matVec(row: number[], W: Float32Array, m: number): number[] {
  const out = new Array<number>(m).fill(0);
  row.forEach((v, i) => {
    for (let j = 0; j < m; j++) out[j] = (out[j] ?? 0) + v * (W[i * m + j] ?? 0);
  });
  return out;
}

/** Rotate-half RoPE on the first `rotary` dims of `u` at position p (theta^(−2i/rotary)). */
function rope(u: number[], p: number, rotary: number, theta: number): number[] {
  const out = [...u];
  const half = rotary / 2;
  for (let i = 0; i < half; i++) {
    const angle = p * theta ** (-(2 * i) / rotary);
    const a = u[i] ?? 0;
    const b = u[i + half] ?? 0;
    out[i] = a * Math.cos(angle) - b * Math.sin(angle);
    out[i + half] = b * Math.cos(angle) + a * Math.sin(angle);
  }
  return out;
}

function dot(a: number[], b: number[]): number {
  return a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
}

/** Causal softmax attention of query t over keys 0 … t. */
function attend(q: number[], keys: number[][], values: number[][], t: number, scale: number): number[] {
  const s = keys.slice(0, t + 1).map((k) => dot(q, k) * scale);
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const z = e.reduce((a, v) => a + v, 0);
  const out = new Array<number>(values[0]?.length ?? 0).fill(0);
  e.forEach((p, j) => {
    (values[j] ?? []).forEach((v, i) => {
      out[i] = (out[i] ?? 0) + (p / z) * v;
    });
  });
  return out;
}

function denseAttention(w: WeightStore, l: number, h: number[][]): number[][] {
  const c = w.config;
  const { numHeads: H, numKvHeads: kvH, headDim: D, hiddenSize: d } = c;
  const p = `l${l}.attn`;
  const split = (row: number[], n: number) => Array.from({ length: n }, (_, i) => row.slice(i * D, (i + 1) * D));
  const q = h.map((row, t) =>
    split(matVec(row, w.matrix(`${p}.w_q`, d, H * D), H * D), H).map((u) => rope(u, t, D, c.ropeTheta)),
  );
  const k = h.map((row, t) =>
    split(matVec(row, w.matrix(`${p}.w_k`, d, kvH * D), kvH * D), kvH).map((u) => rope(u, t, D, c.ropeTheta)),
  );
  const v = h.map((row) => split(matVec(row, w.matrix(`${p}.w_v`, d, kvH * D), kvH * D), kvH));
  const G = H / kvH;
  return h.map((_, t) => {
    const heads = Array.from({ length: H }, (_, i) => {
      const g = Math.floor(i / G);
      return attend(
        q[t]?.[i] ?? [],
        k.map((kt) => kt[g] ?? []),
        v.map((vt) => vt[g] ?? []),
        t,
        1 / Math.sqrt(D),
      );
    });
    return matVec(heads.flat(), w.matrix(`${p}.w_o`, H * D, d), d);
  });
}

function mlaAttention(w: WeightStore, l: number, h: number[][]): number[][] {
  const c = w.config;
  const mla = c.mla;
  if (mla === undefined) throw new Error('mla config expected');
  const { numHeads: H, hiddenSize: d } = c;
  const { kvLoraRank: R, qkRopeHeadDim: Dr, qkNopeHeadDim: Dn, vHeadDim: Dv } = mla;
  const p = `l${l}.attn`;
  const wuk = w.stacked(`${p}.w_uk`, H, R, Dn);
  const wuv = w.stacked(`${p}.w_uv`, H, R, Dv);
  const block = (W: Float32Array, head: number, cols: number) => W.subarray(head * R * cols, (head + 1) * R * cols);
  const q = h.map((row, t) => {
    const all = matVec(row, w.matrix(`${p}.w_q`, d, H * (Dr + Dn)), H * (Dr + Dn));
    return Array.from({ length: H }, (_, i) => rope(all.slice(i * (Dr + Dn), (i + 1) * (Dr + Dn)), t, Dr, c.ropeTheta));
  });
  const latent = h.map((row, t) => {
    const kva = matVec(row, w.matrix(`${p}.w_kv_a`, d, R + Dr), R + Dr);
    return {
      c: rmsNorm(kva.slice(0, R), w.normGain(`${p}.kv_norm`, R), c.rmsNormEpsilon),
      kr: rope(kva.slice(R), t, Dr, c.ropeTheta),
    };
  });
  return h.map((_, t) => {
    const heads = Array.from({ length: H }, (_, i) => {
      const keys = latent.map((z) => [...z.kr, ...matVec(z.c, block(wuk, i, Dn), Dn)]);
      const values = latent.map((z) => matVec(z.c, block(wuv, i, Dv), Dv));
      return attend(q[t]?.[i] ?? [], keys, values, t, 1 / Math.sqrt(Dr + Dn));
    });
    return matVec(heads.flat(), w.matrix(`${p}.w_o`, H * Dv, d), d);
  });
}

function swiglu(w: WeightStore, prefix: string, row: number[], inter: number): number[] {
  const d = row.length;
  const g = matVec(row, w.matrix(`${prefix}.w_gate`, d, inter), inter);
  const u = matVec(row, w.matrix(`${prefix}.w_up`, d, inter), inter);
  const a = g.map((v, i) => (v / (1 + Math.exp(-v))) * (u[i] ?? 0));
  return matVec(a, w.matrix(`${prefix}.w_down`, inter, d), d);
}

function moe(w: WeightStore, l: number, row: number[]): number[] {
  const m = w.config.moe;
  if (m === undefined) throw new Error('moe config expected');
  const logits = matVec(row, w.matrix(`l${l}.moe.router`, row.length, m.numExperts), m.numExperts);
  const top = logits
    .map((v, e) => ({ v, e }))
    .sort((a, b) => b.v - a.v || a.e - b.e)
    .slice(0, m.topK);
  const mx = Math.max(...top.map((o) => o.v));
  const z = top.reduce((a, o) => a + Math.exp(o.v - mx), 0);
  let out = new Array<number>(row.length).fill(0);
  for (const o of top) {
    const y = swiglu(w, `l${l}.moe.e${o.e}`, row, m.expertIntermediateSize);
    out = out.map((v, i) => v + (Math.exp(o.v - mx) / z) * (y[i] ?? 0));
  }
  return out;
}
