import { unwrap } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { enumerateConfigurations, shardOf } from '../space/enumerate.js';
import { parseSpace } from '../space/resolve-space.js';
import { workflowWorkload } from '../workload/workflow-workload.js';
import { type ExploreRunInputs, exploreSync } from './explore-sync.js';
import { mergeShards } from './merge.js';
import { type ExploreResultFile, rankedRows } from './result-file.js';

// A small space (16 designs: 2 decode kinds × 2 counts × 2 tier stacks, disaggregated with one prefill pool
// or colocated) on a short chat workload, twin on the best 4. Three shards must split the designs without
// overlap, and their merge must be the unsharded run: same screened results, same twin runs, same ranking.
const spaceJson = {
  name: 'merge-test',
  model: 'llama-3-8b',
  precision: 'bf16',
  modes: ['disaggregated', 'colocated'],
  prefill: { devices: ['h100'], tp: [1], instances: [1] },
  decode: { devices: ['h100', 'h200'], tp: [1], instances: [1, 2] },
  kvTiers: [[], ['dram']],
};
const space = unwrap(parseSpace(spaceJson));
const workload = workflowWorkload({ workflow: 'chat', sessionsPerSecond: 0.5, durationSeconds: 20, seed: 3 });
const base: ExploreRunInputs = {
  space,
  spaceJson,
  requests: workload.requests,
  loop: 'closed',
  workloadLabel: 'chat',
  slo: { ttftSeconds: 2.5, tpotSeconds: 0.15 },
  seed: 1,
  objective: 'goodputPerUsd',
  simulateTop: 4,
  shard: null,
  command: 'test',
};

/** Wall time differs run to run; everything else must not. */
function comparable(file: ExploreResultFile) {
  return {
    ...file,
    command: '',
    shard: null,
    simulated: file.simulated.map((s) => ({ ...s, wallSeconds: 0 })),
  };
}

describe('--shard i/N and explore merge', () => {
  const all = enumerateConfigurations(space);

  it('splits the designs into disjoint slices that together are all of them', () => {
    expect(all).toHaveLength(16);
    const slices = [0, 1, 2].map((i) => shardOf(all, i, 3).map((c) => c.index));
    // Index mod 3: 6, 5 and 5 designs.
    expect(slices.map((s) => s.length)).toEqual([6, 5, 5]);
    const union = slices.flat().sort((a, b) => a - b);
    expect(union).toEqual(all.map((c) => c.index));
    expect(new Set(union).size).toBe(union.length);
  });

  it('merges shard files into the unsharded result', () => {
    // Files go through JSON, as they do between a shard's pod and the merge.
    const viaJson = (f: ExploreResultFile): ExploreResultFile => JSON.parse(JSON.stringify(f));
    const whole = viaJson(exploreSync(base));
    expect(whole.simulated).toHaveLength(4);
    const shards = [2, 0, 1].map((index) => viaJson(exploreSync({ ...base, shard: { index, count: 3 } })));
    // Each shard simulated its own best 4 (or all it had): more twin runs than the merge keeps.
    expect(shards.reduce((n, s) => n + s.simulated.length, 0)).toBeGreaterThan(4);
    const merged = mergeShards(shards, 'merge');
    if (!merged.ok) throw new Error(merged.error);
    expect(comparable(merged.file)).toEqual(comparable(whole));
    expect(rankedRows(merged.file).map((r) => [r.rank, r.index, r.stage])).toEqual(
      rankedRows(whole).map((r) => [r.rank, r.index, r.stage]),
    );
  });

  it('refuses a missing shard, a repeated one and another space', () => {
    const s0 = exploreSync({ ...base, simulateTop: 0, shard: { index: 0, count: 2 } });
    const s1 = exploreSync({ ...base, simulateTop: 0, shard: { index: 1, count: 2 } });
    expect(mergeShards([s0], 'm')).toEqual({ ok: false, error: 'missing shard 1/2' });
    expect(mergeShards([s0, s0], 'm')).toEqual({ ok: false, error: 'shard 0/2 given twice' });
    const other = { ...s1, space: { ...s1.space, name: 'other', fingerprint: '0' } };
    expect(mergeShards([s0, other], 'm')).toEqual({ ok: false, error: 'file 2 explored another space (other)' });
  });
});
