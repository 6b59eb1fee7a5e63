// The twin's step loop runs its engines with reuseStepArrays (one plan and outcome rewritten step after step).
// Here one busy run (batched decode steps that grow and shrink, local prefill chunks between them on the decode
// workers) is simulated twice, once with the engines forced to new arrays every step (the services' default):
// records, report, routing decisions and every worker's counters must be the same. A reader of a decode plan
// that kept it past its step (a worker, a report, a metric) would see a later step's values in the reused run
// and make these differ. (The twin's router reserves each request's worst-case KV on its decode worker, so the
// engines here do not preempt: reuse under preemption is engine-reuse-long.test.ts in @oicf/engine.)
import { replayJson, stringifyReport, summarizeReplay } from '@oicf/report';
import type { TraceRequest } from '@oicf/traces';
import { describe, expect, it, vi } from 'vitest';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { simulate } from '../run/simulate.js';
import { agentSessions } from '../testing/agent-sessions.js';
import { HAND_CLUSTER } from '../testing/hand-cluster.js';

const engineMode = vi.hoisted(() => ({ forceFresh: false, numEngines: 0, numReusing: 0 }));

vi.mock('@oicf/engine', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@oicf/engine')>();
  class SwitchableEngine extends actual.Engine {
    constructor(...args: ConstructorParameters<typeof actual.Engine>) {
      const [config, ...rest] = args;
      const reuse = config.reuseStepArrays === true && !engineMode.forceFresh;
      engineMode.numEngines++;
      if (reuse) engineMode.numReusing++;
      super({ ...config, reuseStepArrays: reuse }, ...rest);
    }
  }
  return { ...actual, Engine: SwitchableEngine };
});

// 12 sessions × 4 turns, each turn the previous prompt plus 4 blocks of 4 tokens (up to 67 tokens), 8–26 output
// tokens, sessions starting 0.03 s apart, closed loop: two decode workers share them.
function sessions(): TraceRequest[] {
  return agentSessions({
    sessions: 12,
    turns: 4,
    prefixes: 4,
    firstBlockId: 5000,
    blocksPerTurn: 4,
    blockTokens: 4,
    sessionSpacingSeconds: 0.03,
    turnSpacingSeconds: 0.3,
    outputTokens: (s, t) => 8 + ((s * 5 + t * 7) % 19),
    gapSeconds: (s, t) => 0.02 + ((s + t) % 4) * 0.03,
  });
}

const decode = HAND_CLUSTER.workers[1] as SimCluster['workers'][number];
const busy: SimCluster = {
  ...HAND_CLUSTER,
  router: { ...HAND_CLUSTER.router, policy: 'oicf-cost', policyParams: { maxLocalPrefillTokens: 24 } },
  workers: [
    HAND_CLUSTER.workers[0] as SimCluster['workers'][number],
    { ...decode, workerId: 'd0' },
    { ...decode, workerId: 'd1' },
  ],
};

function runOnce(forceFresh: boolean) {
  engineMode.forceFresh = forceFresh;
  engineMode.numEngines = 0;
  engineMode.numReusing = 0;
  const result = simulate(busy, { requests: sessions(), loop: 'closed', seed: 11, keepDecisions: true });
  const { run, stats } = result;
  const decisions = result.runtime.router.decisions;
  const text = stringifyReport(replayJson(run, summarizeReplay(run, { ttftSeconds: 0.1, tpotSeconds: 0.02 })));
  return {
    run,
    decisions,
    text,
    workers: stats.workers,
    numEngines: engineMode.numEngines,
    numReusing: engineMode.numReusing,
  };
}

describe('the twin with reused step arrays', () => {
  const fresh = runOnce(true);
  const reused = runOnce(false);

  it('runs its engines with reuse, and the forced run without', () => {
    expect(reused.numEngines).toBe(2); // the decode workers' step loops (d0, d1)
    expect(reused.numReusing).toBe(2);
    expect(fresh.numEngines).toBe(2);
    expect(fresh.numReusing).toBe(0);
  });

  it('is a run with batched decode steps and local prefill chunks on both decode workers, every request done', () => {
    expect(fresh.run.records.filter((r) => r.status === 'ok')).toHaveLength(48);
    for (const id of ['d0', 'd1']) {
      const w = fresh.workers.find((x) => x.workerId === id);
      expect(w?.numPrefillSteps).toBeGreaterThan(0);
      // More tokens than steps: some decode steps ran more than one sequence.
      expect(w?.decodeTokens).toBeGreaterThan(1.5 * (w?.numDecodeSteps ?? 0));
    }
  });

  it('gives the same records, decisions, worker counters and report JSON as new arrays every step', () => {
    expect(reused.run.records).toEqual(fresh.run.records);
    expect(fresh.decisions.length).toBe(48);
    expect(reused.decisions).toEqual(fresh.decisions);
    expect(reused.workers).toEqual(fresh.workers);
    expect(reused.text).toBe(fresh.text);
  });
});
