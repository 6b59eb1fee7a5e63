// Prints the top self-time functions of V8 .cpuprofile files (written by `node --cpu-prof`), the way
// the kv-pool bench's profiles were read: `node --import tsx apps/kv-pool/bench/cpu-profile-top.ts
// <file.cpuprofile>… [--top=25]`. Self time of a function = samples whose leaf frame is that function
// × the sampling interval; shares are of all samples in the file (idle and GC included, as V8 reports
// them as `(idle)`, `(garbage collector)`, `(program)`).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  process.stderr.write('usage: cpu-profile-top.ts <file.cpuprofile>… [--top=N]\n');
  process.exit(2);
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const labelOf = new Map<number, string>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const where =
      url === ''
        ? ''
        : ` ${url.replace(/^.*\/(node_modules\/\.pnpm\/[^/]+\/node_modules\/|work\/main\/)/, '')}:${lineNumber + 1}`;
    labelOf.set(n.id, `${functionName === '' ? '(anonymous)' : functionName}${where}`);
  }
  // timeDeltas[i] is the time between sample i-1 and sample i, in µs.
  const selfMicros = new Map<string, number>();
  let totalMicros = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const label = labelOf.get(profile.samples[i] as number) ?? '?';
    selfMicros.set(label, (selfMicros.get(label) ?? 0) + dt);
    totalMicros += dt;
  }
  const rows = [...selfMicros.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  process.stdout.write(`\n${basename(file)}: ${(totalMicros / 1e6).toFixed(2)} s sampled\n`);
  for (const [label, micros] of rows) {
    process.stdout.write(
      `${((100 * micros) / totalMicros).toFixed(1).padStart(5)} %  ${(micros / 1e3).toFixed(0).padStart(6)} ms  ${label}\n`,
    );
  }
}
