import { describe, expect, it } from 'vitest';
import {
  QUIET_OTHER_CORES,
  quietGate,
  renderThroughputMarkdown,
  type ThroughputResult,
  type ThroughputRun,
} from './cluster-throughput-report.js';

function run(n: number, loadBefore: number, otherCores?: ThroughputRun['otherCores']): ThroughputRun {
  return {
    run: n,
    inProcess: { seconds: 2, outputTokens: 2048, tokensPerSecond: 1024, cpuSeconds: 3 },
    // 2,048 tokens in 2.5 s: 819.2 tokens/s, 0.8 of the in-process 1,024.
    cluster: { seconds: 2.5, outputTokens: 2048, tokensPerSecond: 819.2, cpuSecondsByService: { router: 0.2 } },
    loadBefore: [loadBefore, 1, 1],
    loadAfter: [loadBefore, 1, 1],
    ...(otherCores === undefined ? {} : { otherCores }),
  };
}

function result(runs: ThroughputRun[]): ThroughputResult {
  return {
    benchmark: 'cluster-throughput',
    at: '2026-12-07T22:30:00Z',
    command: 'bench',
    node: 'v20',
    machine: { cpus: 2 },
    workload: { model: 'tiny-gqa', numRequests: 32, concurrency: 16, promptTokens: 128, outputTokens: 64 },
    clusterShape: 'router',
    runs,
    goals: { ratio: { floor: 0.6, stretch: 0.8 } },
  };
}

describe('the cluster-throughput gate', () => {
  it("judges by the other tasks' cores when every part measured them, whatever the load average", () => {
    // Load 3.3 before each run (the bench's own previous part), other tasks at most 0.05 cores: judged.
    const quiet = result([
      run(1, 3.3, { inProcess: 0.02, cluster: 0.05 }),
      run(2, 3.3, { inProcess: 0, cluster: 0.1 }),
    ]);
    expect(quietGate(quiet)).toEqual({ gate: 'other-tasks', quiet: true, worst: 0.1 });
    const md = renderThroughputMarkdown(quiet);
    // Median of 0.8 and 0.8 is 0.8: floor 0.6 met, stretch 0.8 met.
    expect(md).toContain('goal (issue 11) ≥ 0.6: **met**; stretch ≥ 0.8: **met**');
    expect(md).toContain(`other tasks' cores during every timed part ≤ ${QUIET_OTHER_CORES}`);
  });

  it('one part above 0.1 cores of other tasks: not judged, and the figure says which part was worst', () => {
    const busy = result([run(1, 0.5, { inProcess: 0.02, cluster: 0.35 })]);
    expect(quietGate(busy)).toEqual({ gate: 'other-tasks', quiet: false, worst: 0.35 });
    expect(renderThroughputMarkdown(busy)).toContain('other tasks used up to 0.35 cores during a timed part, gate 0.1');
  });

  it('falls back to the load gate when a part could not measure them (no cgroup v1, or an older result)', () => {
    expect(quietGate(result([run(1, 1.5, { inProcess: null, cluster: 0 })]))).toEqual({
      gate: 'load',
      quiet: true,
      worst: 1.5,
    });
    // An older result: no otherCores at all; load 2.0 on 2 cores is busy.
    expect(quietGate(result([run(1, 2.0)]))).toEqual({ gate: 'load', quiet: false, worst: 2 });
  });
});
