// The emulating decode worker's own work per step, measured in-process (round 11, issue 12): what the decode loop
// runs between a step's kernel and its tokens leaving (StepAnalyzer.analyze: the tiny model on this machine and, when
// emulating, the target's prediction; Pacer.afterStep's bookkeeping; StepRecorder.record), timed as process CPU per
// call with and without an emulation target, over decode shapes like the fidelity window's.
//   node --import tsx bench/sim-fidelity-pace-cpu.ts [--target llama-3.1-70b@h100] [--calls 4000]

import { parseArgs } from 'node:util';
import { emulationTarget, type StepShapeQuery } from '@oicf/core';
import { realClock } from '@oicf/transport';
import { createWorkerMetrics, modelSetup, Pacer, StepAnalyzer, StepRecorder, thisMachine } from '@oicf/worker';

const { values } = parseArgs({
  options: { target: { type: 'string', default: 'llama-3.1-70b@h100' }, calls: { type: 'string', default: '4000' } },
});
const calls = Number(values.calls);
const model = modelSetup('tiny-gqa', 'fp32', 1, 8192);
const machine = thisMachine();
const shapes: StepShapeQuery[] = [];
for (let i = 0; i < 64; i++) {
  const batch = 1 + (i % 4);
  shapes.push({
    phase: 'decode',
    contextTokens: Array.from({ length: batch }, (_, j) => 300 + ((i * 97 + j * 389) % 2500)),
  });
}

function perCall(emulate: string | undefined): number {
  const wm = createWorkerMetrics('decode', { workerId: 'bench', model: 'tiny-gqa' });
  const pacer = new Pacer(emulate === undefined ? undefined : emulationTarget(emulate, 'rdma-400g'), realClock);
  const analyzer = new StepAnalyzer(model.config, machine, pacer, emulate === undefined ? undefined : 'target');
  const recorder = new StepRecorder(wm, analyzer, () => realClock.nowSeconds());
  const one = (s: StepShapeQuery) => {
    const a = analyzer.analyze(s);
    recorder.record(s, undefined, 0.01, a);
  };
  for (let i = 0; i < 500; i++) one(shapes[i % shapes.length] as StepShapeQuery);
  const c0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) one(shapes[i % shapes.length] as StepShapeQuery);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6 / calls;
}

const rows: string[] = [];
for (let r = 0; r < 3; r++) {
  const plain = perCall(undefined);
  const emu = perCall(values.target);
  rows.push(
    `round ${r + 1}: unpaced ${(plain * 1e3).toFixed(4)} ms, emulating ${values.target} ${(emu * 1e3).toFixed(4)} ms of CPU a step`,
  );
}
console.log(rows.join('\n'));
