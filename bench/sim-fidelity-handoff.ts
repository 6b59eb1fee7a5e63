// The fit's last step (`--fit-host`): the handoff's per-byte costs in CPU seconds, such that the twin on the
// fitting window shows the per-request slopes the real run showed there. The lines fitted on the real run
// (fit-handoff-cost.ts) are wall time, which the run's contention already stretched; charged as CPU, the
// twin stretches them again on its shared cores (the first try gave a send slope of 23 ns a byte against the
// real 11). So the twin is run on the same window and each cost scaled by real ÷ twin slope (the send path
// beyond the link), a few rounds. The CPU they give up goes to the off-path demand (the total stays the
// regression's). Only the fitting window is used: the validation window never enters.

import type { ReplayRun } from '@oicf/report';
import { fitLine, type HostCostFile, saveHostCostFile } from '@oicf/sim';
import { handoffObservations } from './sim-fidelity-host.js';

export function calibrateHandoff(
  file: HostCostFile,
  kvBytesPerToken: number,
  simulateWith: (file: HostCostFile) => ReplayRun,
  path: string,
  rounds = 4,
): HostCostFile {
  const target = file.handoffFit;
  const link = file.kvLink === undefined ? 0 : 1 / file.kvLink.bandwidthBytesPerSecond;
  let out = file;
  for (let i = 0; i < rounds && target !== undefined; i++) {
    const h = out.cost.handoff;
    if (h === undefined) break;
    const obs = handoffObservations(simulateWith(out), kvBytesPerToken);
    const send = fitLine(obs.map((o) => ({ x: o.handoffBytes, y: o.sendSeconds })));
    const gaps = obs.filter((o) => o.firstGapSeconds !== undefined);
    const gap = fitLine(gaps.map((o) => ({ x: o.handoffBytes, y: o.firstGapSeconds as number })));
    const ratio = (real: number, twin: number) => (twin > 0 && real > 0 ? real / twin : 1);
    const sendScale = ratio(target.send.secondsPerByte - link, send.secondsPerByte - link);
    const importScale = ratio(target.firstGap.secondsPerByte, gap.secondsPerByte);
    const total = h.sendSecondsPerByte + h.importSecondsPerByte + h.offPathSecondsPerByte;
    const sendSecondsPerByte = h.sendSecondsPerByte * sendScale;
    const importSecondsPerByte = h.importSecondsPerByte * importScale;
    const handoff = {
      sendSecondsPerByte,
      importSecondsPerByte,
      offPathSecondsPerByte: Math.max(0, total - sendSecondsPerByte - importSecondsPerByte),
    };
    console.log(
      `  handoff round ${i + 1}: twin send ${(send.secondsPerByte * 1e9).toFixed(2)} ns a byte (real ${(target.send.secondsPerByte * 1e9).toFixed(2)}), first gap ${(gap.secondsPerByte * 1e9).toFixed(2)} ns (real ${(target.firstGap.secondsPerByte * 1e9).toFixed(2)}) → send ${(sendSecondsPerByte * 1e9).toFixed(2)} ns, import ${(importSecondsPerByte * 1e9).toFixed(2)} ns of CPU a byte`,
    );
    out = { ...out, cost: { ...out.cost, handoff } };
  }
  saveHostCostFile(path, out);
  return out;
}
