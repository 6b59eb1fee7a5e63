import { formatPercent } from '@oicf/plot';
import { REPLAY_METRICS } from './metric-names.js';
import { counterDelta, forEachSample, servedNames } from './metric-queries.js';
import type { RunMetrics } from './metrics-snapshot.js';

/**
 * What pacing to an emulated target (`--emulate <model>@<device>`) did over a run, from the workers'
 * counters (docs/metrics.md): per phase, the steps paced, the underruns (steps whose real time on this
 * machine already exceeded the target's, so they ran at this machine's speed: the report then shows this
 * machine's latency for them, not the target's) and the share of step time spent sleeping to the target.
 */
export interface EmulationPhaseRow {
  readonly phase: string;
  readonly pacedSteps: number;
  readonly underrunSteps: number;
  /** underrun ÷ paced steps. */
  readonly underrunShare: number | null;
  readonly sleepSeconds: number;
  /** Σ step seconds as the cluster saw them (work + sleep); null when not served. */
  readonly stepSeconds: number | null;
  /** sleep ÷ step seconds: how much of the phase's time was the target's pace rather than this machine's work. */
  readonly sleepShare: number | null;
}

export interface EmulationSummary {
  /** The targets the workers paced to (normally one), from their info gauges. */
  readonly targets: readonly string[];
  readonly byPhase: readonly EmulationPhaseRow[];
  /** One line per phase whose underrun share exceeds UNDERRUN_WARN_SHARE. */
  readonly warnings: readonly string[];
}

/** Warn when more than this share of a phase's paced steps ran slower here than on the target. */
export const UNDERRUN_WARN_SHARE = 0.05;

/** Null when no worker reported pacing (not emulating, or a cluster without these counters). */
export function summarizeEmulation(metrics: RunMetrics): EmulationSummary | null {
  const m = REPLAY_METRICS;
  const delta = (q: (typeof m)[keyof typeof m]) => counterDelta(q, metrics.before, metrics.after);
  const paced = delta(m.emulationPacedSteps);
  const targets = emulationTargets(metrics);
  if (paced === null && targets.length === 0) return null;
  const underrun = delta(m.emulationUnderrunSteps);
  const sleep = delta(m.emulationStepSleepSeconds);
  const steps = delta(m.stepSecondsByPhase);
  const byPhase = [...(paced ?? new Map<string, number>())]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([phase, pacedSteps]): EmulationPhaseRow => {
      const underrunSteps = underrun?.get(phase) ?? 0;
      const sleepSeconds = sleep?.get(phase) ?? 0;
      const stepSeconds = steps?.get(phase) ?? null;
      return {
        phase,
        pacedSteps,
        underrunSteps,
        underrunShare: pacedSteps > 0 ? underrunSteps / pacedSteps : null,
        sleepSeconds,
        stepSeconds,
        sleepShare: stepSeconds !== null && stepSeconds > 0 ? Math.min(1, sleepSeconds / stepSeconds) : null,
      };
    });
  const target = targets.join(', ') || 'the emulated target';
  const warnings = byPhase
    .filter((r) => r.underrunShare !== null && r.underrunShare > UNDERRUN_WARN_SHARE)
    .map(
      (r) =>
        `${formatPercent(r.underrunShare ?? 0)} of ${r.phase} steps (${count(r.underrunSteps)} of ${count(r.pacedSteps)}) ran slower on this machine than on ${target}: those steps show this machine's time, not the target's, so ${r.phase} latencies here overstate the target's`,
    );
  return { targets, byPhase, warnings };
}

/** A count as it is, with thousands separators (formatNumber keeps 3 significant digits: 2,357 → 2,360). */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Label values of the workers' emulation info gauges in the last scrape that has any. */
function emulationTargets(metrics: RunMetrics): string[] {
  const q = REPLAY_METRICS.emulationTarget;
  const snapshots = [metrics.after, ...[...metrics.during].reverse(), metrics.before].filter((s) => s !== null);
  for (const snap of snapshots) {
    const names = servedNames(q, [snap]);
    const found = new Set<string>();
    forEachSample(snap, names, (s) => {
      const t = s.labels.target;
      if (t !== undefined && s.value > 0) found.add(t);
    });
    if (found.size > 0) return [...found].sort();
  }
  return [];
}
