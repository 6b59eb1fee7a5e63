// One line per configuration naming the term that bound it: the smallest attainment factor when one falls
// short, else the busiest resource and its regime. E.g. "decode capacity-bound on h100 ×8: B_max 4 at 96k
// context; the optical-pool tier lifts it to 19".
import type { Configuration } from '../space/space-types.js';
import { type DecodeGroupSolution, domainLabel } from './decode-solve.js';
import type { ScreenResult, Slo } from './screen-types.js';

const ms = (s: number | null) =>
  s === null ? 'n/a' : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`;
const pct = (x: number) => (x > 0 && x < 0.005 ? '<1 %' : `${Math.round(x * 100)} %`);
const k = (tokens: number) => (tokens >= 1000 ? `${Math.round(tokens / 1000)}k` : `${Math.round(tokens)}`);

function tierLift(config: Configuration, s: DecodeGroupSolution): string {
  if (config.tiers.length === 0 || s.batchMaxWithTiers <= s.batchMaxHbm) return '';
  const names = config.tiers.map((t) => t.id).join(' + ');
  return `; the ${names} tier${config.tiers.length > 1 ? 's lift' : ' lifts'} it to ${s.batchMaxWithTiers}`;
}

function decodeRegime(s: DecodeGroupSolution): string {
  if (s.step.spillBytes > 0) return 'capacity-bound (KV spilled to tiers)';
  return s.step.computeSeconds >= s.step.memorySeconds ? 'compute-bound' : 'bandwidth-bound';
}

export function whyLine(
  config: Configuration,
  r: ScreenResult,
  groups: readonly DecodeGroupSolution[],
  slo: Slo,
  /** Share of prefill steps that are compute-bound. */
  prefillComputeShare: number,
): string {
  const e = r.estimate;
  if (e === null) return r.out?.text ?? '';
  // The decode group that fares worst: highest utilization, then slowest TPOT.
  const worst = [...groups].sort((a, b) => b.utilization - a.utilization || b.tpotSeconds - a.tpotSeconds)[0];
  if (worst === undefined) return '';
  const where = domainLabel(worst.group.deviceId, worst.group.tp);
  const context = k(worst.model.decodeContextTokens);
  const f = e.factors;
  const entries = Object.entries(f) as [keyof typeof f, number][];
  const [bound, value] = entries.sort((a, b) => a[1] - b[1])[0] as [keyof typeof f, number];
  const prefillKind = (config.mode === 'colocated' ? config.decode : config.prefill)[0];
  const prefillWhere = prefillKind ? domainLabel(prefillKind.deviceId, prefillKind.tp) : '';
  if (value < 0.99) {
    switch (bound) {
      case 'contextFit':
        return `capacity-bound: ${pct(1 - f.contextFit)} of requests do not fit one instance's KV room (longest context beyond what ${where} holds${config.tiers.length > 0 ? ' with its tiers' : ''})`;
      case 'tpot':
        return `decode TPOT-bound on ${where}: ${ms(worst.tpotSeconds)} per token at batch ${worst.batch} > TPOT SLO ${ms(slo.tpotSeconds)}${worst.step.spillBytes > 0 ? ' (KV read from tiers)' : ''}`;
      case 'decodeQueue':
        if (worst.batchCapBy === 'capacity') {
          return `decode capacity-bound on ${where}: B_max ${worst.batchMaxHbm} at ${context} context${tierLift(config, worst)}; needs ${pct(worst.utilization)} of its throughput at that batch`;
        }
        if (worst.batchCapBy === 'tpot') {
          return `decode TPOT-capped on ${where}: batch held at ${worst.batchCap} to keep ${ms(worst.tpotSeconds)} per token, ${pct(worst.utilization)} of its throughput needed`;
        }
        return `decode engine-capped on ${where}: batch limit ${worst.batchCap}, ${pct(worst.utilization)} of its throughput needed`;
      case 'ttft':
        return e.prefillUtilization >= 0.9
          ? `prefill queue-bound on ${prefillWhere}: utilization ${pct(e.prefillUtilization)}, TTFT p99 ${ms(e.ttftP99Seconds)} vs SLO ${ms(slo.ttftSeconds)}`
          : `prefill latency-bound on ${prefillWhere}: long prompts take longer than the TTFT SLO (TTFT p99 ${ms(e.ttftP99Seconds)}, hit ${pct(e.prefixHitFraction)})`;
    }
  }
  const spilled = Object.entries(r.kvTierShares).filter(([t, v]) => t !== 'hbm' && v > 0.005);
  const kv = spilled.length > 0 ? `; KV ${spilled.map(([t, v]) => `${pct(v)} in ${t}`).join(', ')}` : '';
  if (e.prefillUtilization > worst.utilization) {
    return `meets SLOs; busiest: prefill on ${prefillWhere} at ${pct(e.prefillUtilization)} (${prefillComputeShare >= 0.5 ? 'compute' : 'bandwidth'}-bound steps)${kv}`;
  }
  return `meets SLOs; busiest: decode on ${where} at batch ${worst.batch} of B_max ${worst.batchMaxWithTiers} (${decodeRegime(worst)}, ${ms(worst.step.seconds)} steps, ${pct(worst.utilization)} of its throughput)${kv}`;
}
