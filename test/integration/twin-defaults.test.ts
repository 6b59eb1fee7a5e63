// The twin fills what a cluster config leaves out with the apps' own defaults; its copies (@oicf/sim
// ROUTER_DEFAULTS, WORKER_DEFAULTS, POOL_DEFAULTS) must equal what the apps' config schemas default to.

import { kvPoolConfigSchema } from '@oicf/kv-pool/config';
import { routerConfig } from '@oicf/router/config';
import { POOL_DEFAULTS, ROUTER_DEFAULTS, WORKER_DEFAULTS } from '@oicf/sim';
import { workerConfigSchema } from '@oicf/worker';
import { describe, expect, it } from 'vitest';

describe("the twin's defaults are the apps' defaults", () => {
  it('router', () => {
    const r = routerConfig();
    expect(ROUTER_DEFAULTS).toEqual({
      policy: r.policy.name,
      heartbeatIntervalSeconds: r.heartbeatIntervalSeconds,
      workerTimeoutSeconds: r.workerTimeoutSeconds,
      workerDropSeconds: r.workerDropSeconds,
      priorPrefillSecondsPerToken: r.priorPrefillSecondsPerToken,
      priorDecodeStepSeconds: r.priorDecodeStepSeconds,
      leaseTtlSeconds: r.leaseTtlSeconds,
      maxPromptTokens: r.maxPromptTokens,
      learnTransferPaths: r.learnTransferPaths,
      handoffLink: r.handoffLink,
    });
  });

  it('workers', () => {
    const w = workerConfigSchema.parse({ workerId: 'w', role: 'decode' });
    expect(WORKER_DEFAULTS).toEqual({
      maxBatch: w.maxBatch,
      maxPrefillTokensPerStep: w.maxPrefillTokensPerStep,
      maxTokensPerSequence: w.maxTokensPerSequence,
      kvCapacityBytes: w.kvCapacityBytes,
      emulateLink: w.emulateLink,
    });
  });

  it('kv-pool', () => {
    expect(POOL_DEFAULTS).toEqual({ maxLeaseTtlSeconds: kvPoolConfigSchema.parse({}).maxLeaseTtlSeconds });
  });
});
