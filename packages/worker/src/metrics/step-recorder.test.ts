import { THIS_MACHINE_DESIGN_PROFILE, thisMachineDevice } from '@oicf/core';
import { KernelRunner, microConfig } from '@oicf/kernels';
import { FakeClock } from '@oicf/transport';
import { afterAll, describe, expect, it } from 'vitest';
import { Pacer } from '../emulation/pacer.js';
import { StepAnalyzer } from '../emulation/step-analyzer.js';
import { StepRecorder } from './step-recorder.js';
import { createWorkerMetrics } from './worker-metrics.js';

const config = microConfig('gqa');
const kernel = new KernelRunner({ config, intraOpNumThreads: 1, maxTokensPerSequence: 64 });
afterAll(() => kernel.close());

describe('StepRecorder', () => {
  it('exports counted OI for every sampled step and measured OI only for probed ones', async () => {
    const wm = createWorkerMetrics('decode', { workerId: 'w', model: 'micro-gqa' });
    const analyzer = new StepAnalyzer(
      config,
      thisMachineDevice(THIS_MACHINE_DESIGN_PROFILE),
      new Pacer(undefined, new FakeClock()),
      undefined,
    );
    let now = 0;
    const recorder = new StepRecorder(wm, analyzer, () => now, 0.5);
    await kernel.prefill('s', [1, 2, 3, 4, 5, 6]);
    const plain = (await kernel.decodeStep(['s'], [7])).stats;
    recorder.record({ phase: 'decode', contextTokens: [6] }, plain, plain.seconds);
    const text = () => wm.metrics.registry.metrics();
    expect(await text()).toContain(
      `oicf_decode_counted_intensity_flops_per_byte{phase="decode",component="decode",worker_id="w",model="micro-gqa"} ${plain.countedIntensityFlopsPerByte}`,
    );
    expect(await text()).not.toMatch(/oicf_decode_measured_intensity_flops_per_byte\{/);
    await kernel.armTrafficProbe();
    const probed = (await kernel.decodeStep(['s'], [8])).stats;
    now = 1;
    recorder.record({ phase: 'decode', contextTokens: [7] }, probed, probed.seconds);
    // Measured = counted FLOPs ÷ bytes the probed run's kernels moved; it differs from the count.
    const measured = probed.count.flops / (probed.traffic?.movedBytes ?? Number.NaN);
    expect(await text()).toContain(
      `oicf_decode_measured_intensity_flops_per_byte{phase="decode",component="decode",worker_id="w",model="micro-gqa"} ${measured}`,
    );
    expect(measured).not.toBeCloseTo(probed.countedIntensityFlopsPerByte, 6);
  });
});
