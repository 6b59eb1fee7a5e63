import type { ReplayRequestRecord } from './replay-record.js';

/**
 * Latency SLOs a request must meet to count towards goodput. A null bound is not checked.
 * Defaults (DEFAULT_SLO) are DistServe's chatbot SLOs for OPT-66B (Zhong et al., "DistServe",
 * OSDI 2024, Table 1: TTFT 2.5 s, TPOT 0.15 s), a model of Llama-3.1-70B's size.
 */
export interface Slo {
  readonly ttftSeconds: number | null;
  readonly tpotSeconds: number | null;
}

export const DEFAULT_SLO: Slo = { ttftSeconds: 2.5, tpotSeconds: 0.15 };

export interface Goodput {
  readonly slo: Slo;
  /** Requests judged: every finished request (ok, rejected, error); cancelled ones are left out. */
  readonly numJudged: number;
  readonly numMet: number;
  /** SLO attainment: numMet ÷ numJudged (DistServe), null when nothing was judged. */
  readonly attainment: number | null;
  /** Goodput: requests meeting every SLO per second of the run. */
  readonly requestsPerSecond: number | null;
}

/**
 * DistServe's definition: a request counts only when it completed and met both its TTFT and its
 * TPOT SLO; rejected and failed requests count against attainment. A request with one output
 * token has no TPOT and is judged on TTFT alone.
 */
export function meetsSlo(record: ReplayRequestRecord, slo: Slo): boolean {
  if (record.status !== 'ok' || record.ttftSeconds === null) return false;
  if (slo.ttftSeconds !== null && record.ttftSeconds > slo.ttftSeconds) return false;
  if (slo.tpotSeconds !== null && record.tpotSeconds !== null && record.tpotSeconds > slo.tpotSeconds) return false;
  return true;
}

export function computeGoodput(records: readonly ReplayRequestRecord[], slo: Slo, durationSeconds: number): Goodput {
  const judged = records.filter((r) => r.status !== 'cancelled');
  const numMet = judged.filter((r) => meetsSlo(r, slo)).length;
  return {
    slo,
    numJudged: judged.length,
    numMet,
    attainment: judged.length === 0 ? null : numMet / judged.length,
    requestsPerSecond: durationSeconds > 0 ? numMet / durationSeconds : null,
  };
}
