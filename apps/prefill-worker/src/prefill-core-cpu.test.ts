import { parsePrometheusText, seriesValue } from '@oicf/metrics/prometheus-text';
import { realClock } from '@oicf/transport';
import { createWorkerRuntime, silentLogger, thisMachine, workerConfigSchema } from '@oicf/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { PrefillCore } from './prefill-core.js';

const rt = createWorkerRuntime(
  workerConfigSchema.parse({ workerId: 'p', role: 'prefill', model: 'micro-gqa', maxTokensPerSequence: 256 }),
  { component: 'prefill', clock: realClock, log: silentLogger, thisMachine: thisMachine() },
);
afterAll(() => rt.close());

/** Intervals charged to each part of the prefill loop (loop_part_steps_total, one per part a prefill went through). */
async function intervals(): Promise<Record<string, number | undefined>> {
  const samples = parsePrometheusText(await rt.wm.metrics.registry.metrics()).samples;
  const labels = { component: 'prefill', worker_id: 'p', model: 'micro-gqa' };
  const out: Record<string, number | undefined> = {};
  for (const part of ['between', 'fetch', 'kernel', 'pace', 'send']) {
    out[part] = seriesValue(samples, 'oicf_prefill_loop_part_steps_total', { ...labels, part });
  }
  return out;
}

describe('PrefillCore CPU meter', () => {
  it('charges a prefill whose kernel throws to the kernel part, not to the next request’s wait', async () => {
    const core = new PrefillCore(rt);
    rt.steps.prefillDirect = async () => {
      throw new Error('a kernel failed');
    };
    const req = {
      requestId: 'r',
      tokenIds: [1, 2, 3, 4, 5],
      cachedPrefix: [],
      decodeWsAddress: '',
      poolWsAddress: '',
      sessionId: '',
      sessionTtlSeconds: 0,
      sampling: null,
      numDecodeCachedTokens: 0,
    };
    await expect(core.prefill(req, { signal: new AbortController().signal })).rejects.toThrow(/a kernel failed/);
    // One prefill: its wait (between), the fetch (nothing cached: an empty fetch), then the kernel that threw, charged
    // once to `kernel`; it never reached pace or send.
    const n = await intervals();
    expect([n.between, n.fetch, n.kernel]).toEqual([1, 1, 1]);
    expect(n.pace ?? 0).toBe(0);
    expect(n.send ?? 0).toBe(0);
  });
});
