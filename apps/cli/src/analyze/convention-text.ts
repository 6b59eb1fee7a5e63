import type { ConventionOptions, ResolvedConvention } from '@oicf/core';

/**
 * One line naming the convention that produced a number and what it counts,
 * e.g. "paper — bytes: weights + KV only; prefill attention causal; MoE
 * weights expected-distinct; elementwise FLOPs not counted". Every output of
 * `oicf analyze` carries it (docs/oicf.md explains each option).
 */
export function describeConvention(convention: ResolvedConvention): string {
  return `${convention.name} — ${describeOptions(convention.options)}`;
}

export function describeOptions(o: ConventionOptions): string {
  const traffic =
    o.activationTraffic === 'none'
      ? 'weights + KV only'
      : o.activationTraffic === 'fused'
        ? 'weights + KV + activations (fused kernels)'
        : 'weights + KV + activations (unfused, scores materialised)';
  return [
    `bytes: ${traffic}`,
    `prefill attention ${o.prefillAttention}`,
    `MoE weights ${o.moeWeights}`,
    `elementwise FLOPs ${o.countElementwiseFlops ? 'counted' : 'not counted'}`,
  ].join('; ');
}
