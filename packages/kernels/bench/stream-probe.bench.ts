// Read bandwidth over working sets of several sizes, sampled again and again over a while (round 5,
// issue 12.3): does a working set of tens of MiB read at one of two rates depending on when it is
// read (a last-level cache shared with other tenants of the host) while a DRAM-sized one reads at one?
// Each sample: for each size, a buffer of that size filled with 1s, read 5 times in a row by
// Buffer#indexOf of an absent byte (memchr: a read-only stream); the median pass's GB/s. Not a test.
//   flock /work/bench.lock node --import tsx packages/kernels/bench/stream-probe.bench.ts --seconds 60 --out x.json
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { median } from '@oicf/core';
import { hostCpuNanos, ownCpuNanos } from '../src/roofline/run-quality.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '4,16,32,64,128,512' },
    seconds: { type: 'string', default: '60' },
    out: { type: 'string' },
  },
});
const sizesMiB = (values.sizes ?? '').split(',').map(Number);
const buffers = sizesMiB.map((s) => Buffer.alloc(s * 2 ** 20, 1));
const until = performance.now() + Number(values.seconds) * 1e3;
const samples: { atSeconds: number; gbps: number[]; otherCores: number }[] = [];
const start = performance.now();
while (performance.now() < until) {
  const h0 = hostCpuNanos() ?? 0;
  const o0 = ownCpuNanos();
  const t0 = performance.now();
  const gbps = buffers.map((b) => {
    const rates: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      b.indexOf(0xab);
      rates.push(b.length / ((performance.now() - t) / 1e3) / 1e9);
    }
    return median(rates);
  });
  const wall = (performance.now() - t0) / 1e3;
  const otherCores = ((hostCpuNanos() ?? 0) - h0 - (ownCpuNanos() - o0)) / 1e9 / wall;
  samples.push({ atSeconds: (t0 - start) / 1e3, gbps, otherCores });
  process.stderr.write(
    `${((t0 - start) / 1e3).toFixed(1)}s ${gbps.map((g, i) => `${sizesMiB[i]}MiB ${g.toFixed(1)}`).join('  ')}  other ${otherCores.toFixed(2)}\n`,
  );
}
if (values.out) writeFileSync(values.out, `${JSON.stringify({ sizesMiB, samples })}\n`);
