// Reading step-time files of versions 1 (before the attention split and the cache term) and 2
// (before the KV cache term).

/**
 * A version-1 file as version 2, pricing every step as version 1 did. Version 1 counted every
 * attention FLOP in attentionFlops and every KV byte in kvReadBytes, each at one rate, and had no
 * cache term; its saved features read attentionGemmFlops, kvStreamBytes and residentBytes 0, the
 * Gemm rate is its attention rate and the KV stream rate its KV rate (for models counted now,
 * which split them) and cacheBytes is null. Fields that are
 * not where version 1 put them are left for the schema to name.
 */
export function migrateV1(raw: unknown, version: number): unknown {
  if (!isObject(raw)) return raw;
  const fit = raw.fit;
  return {
    ...withFeatures(raw, (f) => ({ attentionGemmFlops: 0, kvStreamBytes: 0, residentBytes: 0, ...f })),
    version,
    fit: isObject(fit)
      ? {
          ...fit,
          cacheBytes: null,
          costs: isObject(fit.costs)
            ? {
                attentionGemmFlops: fit.costs.attentionFlops,
                kvStreamBytes: fit.costs.kvReadBytes,
                spillBytes: 0,
                ...fit.costs,
              }
            : fit.costs,
          fittedColumns: Array.isArray(fit.fittedColumns)
            ? [
                ...fit.fittedColumns,
                ...(fit.fittedColumns.includes('attentionFlops') ? ['attentionGemmFlops'] : []),
                ...(fit.fittedColumns.includes('kvReadBytes') ? ['kvStreamBytes'] : []),
              ]
            : fit.fittedColumns,
        }
      : fit,
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `raw` with every saved feature set (samples' and structures' terms) passed through `add`. */
function withFeatures(
  raw: Record<string, unknown>,
  add: (f: Record<string, unknown>) => Record<string, unknown>,
): Record<string, unknown> {
  const features = (f: unknown) => (isObject(f) ? add(f) : f);
  const terms = (t: unknown, keys: readonly string[]) =>
    isObject(t) ? { ...t, ...Object.fromEntries(keys.filter((k) => k in t).map((k) => [k, features(t[k])])) } : t;
  const decodeKeys = ['single', 'base', 'perSequence', 'perContextToken', 'perOpenToken', 'perLeadToken'];
  return {
    ...raw,
    samples: Array.isArray(raw.samples)
      ? raw.samples.map((x) => (isObject(x) ? { ...x, features: features(x.features) } : x))
      : raw.samples,
    structures: Array.isArray(raw.structures)
      ? raw.structures.map((st) =>
          isObject(st)
            ? {
                ...st,
                prefill: terms(st.prefill, ['base', 'perNewToken', 'perCachedToken', 'perScore']),
                decode: isObject(st.decode)
                  ? {
                      ...st.decode,
                      tiled: terms(st.decode.tiled, decodeKeys),
                      ...('short' in st.decode ? { short: terms(st.decode.short, decodeKeys) } : {}),
                    }
                  : st.decode,
              }
            : st,
        )
      : raw.structures,
  };
}

/**
 * A version-2 file as version 3, pricing every step as version 2 did: no KV cache term
 * (kvSpillBytes cost 0, kvCacheBytes null), and broadcast attention at the attention column's cost
 * (version 2 counted broadcast attention in attentionFlops). Its saved features read
 * broadcastAttentionFlops 0 (their attention stays in attentionFlops); a model the file saved no structure
 * for is counted afresh, broadcast attention split out, and prices the same at the same cost. Fields not
 * where version 2 put them are left for the schema to name.
 */
export function migrateV2(raw: unknown, version: number): unknown {
  if (!isObject(raw)) return raw;
  const fit = raw.fit;
  return {
    ...withFeatures(raw, (f) => ({ broadcastAttentionFlops: 0, ...f })),
    version,
    fit: isObject(fit)
      ? {
          kvCacheBytes: null,
          ...fit,
          costs: isObject(fit.costs)
            ? {
                kvSpillBytes: 0,
                broadcastAttentionFlops: typeof fit.costs.attentionFlops === 'number' ? fit.costs.attentionFlops : 0,
                ...fit.costs,
              }
            : fit.costs,
          fittedColumns:
            Array.isArray(fit.fittedColumns) && fit.fittedColumns.includes('attentionFlops')
              ? [...fit.fittedColumns.filter((c) => c !== 'broadcastAttentionFlops'), 'broadcastAttentionFlops']
              : fit.fittedColumns,
        }
      : fit,
  };
}
