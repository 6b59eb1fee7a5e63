// The arithmetic of bench/sim-fidelity-tpot-tail.ts, on records (pure; tested beside).
import type { ReplayRequestRecord } from '@oicf/report';

type Rec = Pick<ReplayRequestRecord, 'status' | 'interTokenSeconds' | 'numOutputTokens'>;

export interface GapGroup {
  readonly n: number;
  /** First gaps' seconds ÷ all gaps' seconds, over the group. */
  readonly firstGapShare: number;
  readonly firstGapMedianSeconds: number;
  /** Median over the group's gaps after the first (every gap, pooled). */
  readonly otherGapMedianSeconds: number;
  readonly outputTokensMedian: number;
}

/** Lower median (the (n−1)/2-th of the sorted values), as bench/sim-fidelity-phases.ts; NaN when empty. */
export function lowerMedian(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
}

/** Nearest-rank percentile (the ⌈q·n⌉-th of the sorted values); NaN when empty. */
export function nearestRank(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.max(0, Math.ceil(q * s.length) - 1)] as number);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function group(rs: readonly Rec[]): GapGroup {
  const gaps = rs.map((r) => r.interTokenSeconds ?? []);
  const total = gaps.reduce((s, g) => s + g.reduce((a, b) => a + b, 0), 0);
  const first = gaps.reduce((s, g) => s + (g[0] ?? 0), 0);
  return {
    n: rs.length,
    firstGapShare: total > 0 ? first / total : Number.NaN,
    firstGapMedianSeconds: lowerMedian(gaps.map((g) => g[0] ?? 0)),
    otherGapMedianSeconds: lowerMedian(gaps.flatMap((g) => g.slice(1))),
    outputTokensMedian: lowerMedian(rs.map((r) => r.numOutputTokens)),
  };
}

/** TPOT (mean gap) p90 and who is at or above it; the same p90 with each request's first gap left out. */
export function tpotTail(records: readonly Rec[]) {
  const ok = records.filter((r) => r.status === 'ok' && (r.interTokenSeconds?.length ?? 0) >= 1);
  const tpot = (r: Rec) => mean(r.interTokenSeconds ?? []);
  const p90 = nearestRank(ok.map(tpot), 0.9);
  const rest = ok
    .filter((r) => (r.interTokenSeconds?.length ?? 0) >= 2)
    .map((r) => mean((r.interTokenSeconds ?? []).slice(1)));
  return {
    tpotP90Seconds: p90,
    tpotP90WithoutFirstGapSeconds: nearestRank(rest, 0.9),
    tail: group(ok.filter((r) => tpot(r) >= p90)),
    all: group(ok),
  };
}
