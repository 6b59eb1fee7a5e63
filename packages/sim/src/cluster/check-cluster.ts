// Checks a cluster design before a run: every problem named by its path, all at once.
import { isPoolTierId } from '@oicf/core';
import { isPolicyName } from '@oicf/kv';
import { createRoutingPolicy } from '@oicf/sched';
import type { SimCluster, SimLinkSpec } from './sim-cluster.js';

export function checkSimCluster(c: SimCluster): string[] {
  const errors: string[] = [];
  const positive = (path: string, v: number) => {
    if (!(v > 0) || !Number.isFinite(v)) errors.push(`${path}: must be a finite number > 0, got ${v}`);
  };
  const nonNegative = (path: string, v: number) => {
    if (!(v >= 0) || !Number.isFinite(v)) errors.push(`${path}: must be a finite number ≥ 0, got ${v}`);
  };
  const integer = (path: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) errors.push(`${path}: must be an integer ≥ ${min}, got ${v}`);
  };
  const link = (path: string, l: SimLinkSpec | undefined) => {
    if (l === undefined) return;
    positive(`${path}.bandwidthBytesPerSecond`, l.bandwidthBytesPerSecond);
    nonNegative(`${path}.latencySeconds`, l.latencySeconds);
    positive(`${path}.bytesPerToken`, l.bytesPerToken);
  };
  positive('kvBytesPerToken', c.kvBytesPerToken);
  integer('blockTokens', c.blockTokens, 1);
  nonNegative('sessionTtlSeconds', c.sessionTtlSeconds);
  if (c.mode !== 'disaggregated' && c.mode !== 'colocated')
    errors.push(`mode: must be disaggregated or colocated, got '${c.mode}'`);
  const policy = createRoutingPolicy(c.router.policy, c.router.policyParams, 'router.policy');
  if (!policy.ok) errors.push(...policy.errors);
  positive('router.heartbeatIntervalSeconds', c.router.heartbeatIntervalSeconds);
  integer('router.maxPromptTokens', c.router.maxPromptTokens, 1);
  if (c.workers.length === 0) errors.push('workers: at least one worker is needed');
  if (!c.workers.some((w) => w.role !== 'prefill'))
    errors.push('workers: at least one decode (or both) worker is needed');
  const ids = new Set<string>();
  c.workers.forEach((w, i) => {
    const at = `workers[${i}]`;
    if (w.workerId === '' || ids.has(w.workerId)) errors.push(`${at}.workerId: '${w.workerId}' is empty or not unique`);
    ids.add(w.workerId);
    if (!['prefill', 'decode', 'both'].includes(w.role)) errors.push(`${at}.role: must be prefill, decode or both`);
    if (c.mode === 'colocated' && w.role === 'prefill')
      errors.push(`${at}.role: a colocated cluster has no prefill-only worker`);
    // A prefill worker holds a prompt's KV only while it computes it; a decode worker must hold some.
    if (w.role === 'prefill') nonNegative(`${at}.kvCapacityBytes`, w.kvCapacityBytes);
    else positive(`${at}.kvCapacityBytes`, w.kvCapacityBytes);
    integer(`${at}.maxBatch`, w.maxBatch, 1);
    integer(`${at}.maxContextTokens`, w.maxContextTokens, 0);
    integer(`${at}.maxPrefillTokensPerStep`, w.maxPrefillTokensPerStep, 1);
    if (w.hostThreads !== undefined) integer(`${at}.hostThreads`, w.hostThreads, 1);
    link(`${at}.link`, w.link);
  });
  if (c.pool !== undefined) {
    if (c.pool.tiers.length === 0) errors.push('pool.tiers: at least one tier is needed (or no pool)');
    c.pool.tiers.forEach((t, i) => {
      if (!isPoolTierId(t.id)) errors.push(`pool.tiers[${i}].id: '${t.id}' is not a pool tier`);
      positive(`pool.tiers[${i}].capacityBytes`, t.capacityBytes);
      positive(`pool.tiers[${i}].bandwidthBytesPerSecond`, t.bandwidthBytesPerSecond);
      nonNegative(`pool.tiers[${i}].latencySeconds`, t.latencySeconds);
    });
    if (!isPolicyName(c.pool.policy)) errors.push(`pool.policy: unknown policy '${c.pool.policy}'`);
    link('pool.link', c.pool.link);
  }
  if (c.host !== undefined) {
    nonNegative('host.httpSeconds', c.host.httpSeconds);
    nonNegative('host.rpcSeconds', c.host.rpcSeconds);
    positive('host.loopback.bandwidthBytesPerSecond', c.host.loopback.bandwidthBytesPerSecond);
    positive('host.kvBytesPerToken', c.host.kvBytesPerToken);
    if (c.host.cores !== undefined && !(c.host.cores >= 1)) errors.push(`host.cores: must be ≥ 1, got ${c.host.cores}`);
    if (c.host.scheduling !== undefined && c.host.scheduling !== 'per-core' && c.host.scheduling !== 'shared')
      errors.push(`host.scheduling: must be 'per-core' or 'shared', got ${JSON.stringify(c.host.scheduling)}`);
    if (
      c.host.cores !== undefined &&
      c.host.cores >= 1 &&
      !Number.isInteger(c.host.cores) &&
      c.host.scheduling !== 'shared'
    )
      errors.push(`host.cores: must be a whole number with per-core scheduling (the default), got ${c.host.cores}`);
    if (c.host.threadsPerStep !== undefined) integer('host.threadsPerStep', c.host.threadsPerStep, 1);
  }
  return errors;
}
