import { describe, expect, it } from 'vitest';
import { microConfig } from '../model/presets.js';
import { KernelRunner } from './kernel-runner.js';
import { type Spinning, spinningOptions } from './spinning.js';

describe('spinningOptions', () => {
  it.each([
    ['always', {}],
    ['run', { extra: { session: { force_spinning_stop: '1' } } }],
    ['never', { extra: { session: { intra_op: { allow_spinning: '0' } } } }],
  ] as [Spinning, object][])('%s', (mode, options) => {
    expect(spinningOptions(mode)).toEqual(options);
  });
});

/** CPU time (ms) this process uses in the `ms` after a decode step, while its JS thread sleeps. */
async function cpuAfterStep(spinning: Spinning, ms: number): Promise<number> {
  const r = new KernelRunner({ config: microConfig('gqa'), intraOpNumThreads: 2, spinning });
  try {
    await r.prefill('s', [1, 2, 3, 4, 5, 6, 7, 8]);
    await r.decodeStep(['s'], [9]);
    await r.decodeStep(['s'], [10]);
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  } finally {
    await r.close();
  }
}

describe('idle workers after a run', () => {
  it("'always' keeps a worker spinning after the step; 'run' (the default) stops it", async () => {
    // Why the bounds hold on any machine, busy or not (not numbers copied from a run):
    // - 'always': after a run, onnxruntime's idle pool thread spins 2^20 = 1,048,576 times before it blocks
    //   (EigenNonBlockingThreadPool WorkerLoop: log2_spin = 20), each time checking its queue (an atomic
    //   load) and, on x86, executing `pause`. At ≥ 1 ns per iteration that is ≥ 1.05 ms of CPU per idle
    //   period; with Skylake-SP and later's ~140-cycle `pause` it is 2^20 × 140 / ~3 GHz ≈ 49 ms
    //   (this 2-core AVX-512 host measures 20–50 ms). The 250 ms window lets the spin finish even when a
    //   loaded machine gives the thread only a fifth of a core.
    // - 'run': the thread blocks as the run returns; the process then sleeps in a timer. What remains is
    //   Node's own housekeeping (measured ≈ 0.1 ms); 5 ms, 2 % of the window, leaves room for a GC.
    // The first bound is a difference so that it holds even on a CPU whose `pause` is fast.
    const windowMs = 250;
    const always = await cpuAfterStep('always', windowMs);
    const run = await cpuAfterStep('run', windowMs);
    expect(always - run).toBeGreaterThan(1);
    expect(run).toBeLessThan(5);
  });
});
