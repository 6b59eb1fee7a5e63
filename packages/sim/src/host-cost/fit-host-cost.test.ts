// The fit recovers costs it was given: samples are generated from chosen per-unit costs (the numbers below
// are the inputs, not outputs of the fit) with counts that vary independently per interval, so exact data
// must give back exactly those costs.
import { describe, expect, it } from 'vitest';
import { fitHostCost, type KernelPricing } from './fit-host-cost.js';
import type { HostSample, ProcessSample } from './host-cost.js';

const ROUTER = { perRequest: 0.001, perToken: 0.0001, idle: 0.05 };
const DECODE = { perRequest: 0.003, perStep: 0.002, perSeqStep: 0.0005, perByte: 1e-9 };
const PREFILL = { perStep: 0.02, perToken: 0.00002, perByte: 2e-9 };
const POOL = { perByte: 3e-9, idle: 0.01 };
/** Kernels as the calibrated model prices them (affine, so a mean shape prices a sum exactly). */
const KERNEL: KernelPricing = {
  prefillStepSeconds: (n) => 0.01 + 1e-4 * n,
  decodeStepSeconds: (b) => 0.003 + 0.001 * b,
  meanDecodeContextTokens: 1000,
};

/** Which names the decode workers export their finished-request counter under (`metricNames`). */
type FinishedNames = 'oicf' | 'vllm' | 'both';

function samples(numIntervals: number, finishedNames: FinishedNames = 'oicf'): HostSample[] {
  const c = new Map<string, { cpu: number; counters: Record<string, number> }>();
  const proc = (name: string) => {
    let p = c.get(name);
    if (p === undefined) {
      p = { cpu: 0, counters: {} };
      c.set(name, p);
    }
    return p;
  };
  const inc = (name: string, key: string, by: number) => {
    const p = proc(name);
    p.counters[key] = (p.counters[key] ?? 0) + by;
  };
  const snapshot = (t: number): HostSample => ({
    atSeconds: t,
    processes: Object.fromEntries(
      [...c].map(([n, p]): [string, ProcessSample] => [
        n,
        { cpuSeconds: p.cpu, mainThreadSeconds: p.cpu, counters: { ...p.counters } },
      ]),
    ),
  });
  for (const n of ['router', 'client', 'kv-pool', 'prefill-0', 'decode-0', 'decode-1']) proc(n);
  inc('router', 'oicf_router_routed_requests_total{policy="p"}', 0);
  const out = [snapshot(0)];
  for (let i = 1; i <= numIntervals; i++) {
    const requests = 1 + (i % 3);
    let tokens = 0;
    for (const [w, name] of ['decode-0', 'decode-1'].entries()) {
      const steps = 5 + ((i * (3 + w)) % 7);
      const seqSteps = steps * (1 + ((i + w) % 4));
      const bytes = 1e6 * ((i * 5 + w) % 6);
      const finished = (i * (2 + w)) % 5;
      if (finishedNames !== 'vllm')
        inc(name, `oicf_decode_finished_requests_total{reason="length",worker_id="${name}"}`, finished);
      if (finishedNames !== 'oicf')
        inc(name, `vllm:request_success_total{finished_reason="length",model_name="tiny-gqa"}`, finished);
      tokens += seqSteps;
      inc(name, `oicf_decode_executed_steps_total{phase="decode",worker_id="${name}"}`, steps);
      inc(name, `oicf_decode_batch_sequences_sum{phase="decode",worker_id="${name}"}`, seqSteps);
      inc(name, `oicf_decode_kv_received_bytes_total{link="prefill->decode",worker_id="${name}"}`, bytes);
      inc(name, `oicf_decode_kv_transfer_seconds_sum{link="prefill->decode",worker_id="${name}"}`, bytes / 1e8);
      inc(name, `oicf_decode_kv_transfer_seconds_count{link="prefill->decode",worker_id="${name}"}`, 1);
      proc(name).cpu +=
        steps * KERNEL.decodeStepSeconds(seqSteps / steps, 1000) +
        DECODE.perRequest * finished +
        DECODE.perStep * steps +
        DECODE.perSeqStep * seqSteps +
        DECODE.perByte * bytes;
    }
    const pSteps = 1 + (i % 2);
    const pTokens = pSteps * (200 + ((i * 37) % 300));
    const pBytes = 1e5 * ((i * 7) % 5);
    inc('prefill-0', 'oicf_prefill_executed_steps_total{phase="prefill"}', pSteps);
    inc('prefill-0', 'oicf_prefill_step_tokens_sum{phase="prefill"}', pTokens);
    inc('prefill-0', 'oicf_prefill_kv_sent_bytes_total{link="prefill->decode"}', pBytes);
    proc('prefill-0').cpu +=
      pSteps * KERNEL.prefillStepSeconds(pTokens / pSteps) +
      PREFILL.perStep * pSteps +
      PREFILL.perToken * pTokens +
      PREFILL.perByte * pBytes;
    inc('router', 'oicf_router_routed_requests_total{policy="p"}', requests);
    proc('router').cpu += ROUTER.perRequest * requests + ROUTER.perToken * tokens + ROUTER.idle;
    proc('client').cpu += 2 * ROUTER.perRequest * requests + ROUTER.idle;
    const poolBytes = 1e6 * (1 + ((i * 3) % 4));
    inc('kv-pool', 'oicf_kvpool_received_bytes_total', poolBytes);
    proc('kv-pool').cpu += POOL.perByte * poolBytes + POOL.idle;
    out.push(snapshot(i));
  }
  return out;
}

describe('fitHostCost', () => {
  it('gives back the per-unit costs exact samples were made from, less the calibrated kernels', () => {
    const fit = fitHostCost(samples(24), { kernel: KERNEL, groupSeconds: 1 });
    const { router, client, decode, prefill, pool } = fit.cost;
    expect(router.secondsPerRequest).toBeCloseTo(ROUTER.perRequest, 9);
    expect(router.secondsPerToken).toBeCloseTo(ROUTER.perToken, 9);
    expect(router.busyCores).toBeCloseTo(ROUTER.idle, 9);
    expect(client.secondsPerRequest).toBeCloseTo(2 * ROUTER.perRequest, 9);
    expect(client.secondsPerToken).toBeCloseTo(0, 9);
    expect(decode.secondsPerRequest).toBeCloseTo(DECODE.perRequest, 9);
    expect(decode.secondsPerStep).toBeCloseTo(DECODE.perStep, 9);
    expect(decode.secondsPerSequenceStep).toBeCloseTo(DECODE.perSeqStep, 9);
    expect(decode.secondsPerKvByte * 1e9).toBeCloseTo(DECODE.perByte * 1e9, 6);
    expect(decode.busyCores).toBe(0);
    expect(prefill.secondsPerStep).toBeCloseTo(PREFILL.perStep, 9);
    expect(prefill.secondsPerToken).toBeCloseTo(PREFILL.perToken, 9);
    expect(prefill.secondsPerKvByte * 1e9).toBeCloseTo(PREFILL.perByte * 1e9, 6);
    expect(pool.secondsPerKvByte * 1e9).toBeCloseTo(POOL.perByte * 1e9, 6);
    expect(pool.busyCores).toBeCloseTo(POOL.idle, 9);
    // Handoff rate: every transfer's bytes took bytes ÷ 1e8 seconds.
    expect(fit.handoffBytesPerSecond).toBeCloseTo(1e8, 3);
    for (const f of fit.fits) expect(f.r2).toBeCloseTo(1, 9);
  });

  it.each(['vllm', 'both'] as const)(
    "reads the decode workers' finished requests under %s metric names (counted once when both)",
    (names) => {
      const fit = fitHostCost(samples(24, names), { kernel: KERNEL, groupSeconds: 1 });
      expect(fit.cost.decode.secondsPerRequest).toBeCloseTo(DECODE.perRequest, 9);
      expect(fit.cost.decode.secondsPerStep).toBeCloseTo(DECODE.perStep, 9);
    },
  );

  it('refuses too few samples', () => {
    expect(() => fitHostCost(samples(1))).toThrow(/need ≥ 3 samples/);
  });
});
