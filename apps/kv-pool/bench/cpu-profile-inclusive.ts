// Inclusive ("total") time of each function in a V8 .cpuprofile (`node --cpu-prof`), as shares of the non-idle
// samples: a sample counts for every distinct function on its stack. cpu-profile-top.ts gives self time; this says
// how much of a process one path takes (round 10's profile, results/kv-pool-r10-profile.md: the frame send and
// receive paths against the copies and the digest).
//   node --import tsx apps/kv-pool/bench/cpu-profile-inclusive.ts <file.cpuprofile> [--top=60] [--match=regex]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
if (file === undefined) {
  process.stderr.write('usage: cpu-profile-inclusive.ts <file.cpuprofile> [--top=60] [--match=regex]\n');
  process.exit(2);
}
const top = Number(flag('top') ?? 60);
const match = new RegExp(flag('match') ?? '');
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
/** `name dir/file:line`: the function and the last two parts of its script's path. */
const nameOf = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*\/(?=[^/]+\/[^/]+$)/, '')}:${n.callFrame.lineNumber + 1}`;

const inclusive = new Map<string, number>();
const self = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  // A sample's time is the delta to the next sample (V8 records the delta before each one).
  const dt = profile.timeDeltas[i + 1] ?? 0;
  let id: number | undefined = profile.samples[i] as number;
  const leaf = nameOf(byId.get(id) as ProfileNode);
  if (leaf.startsWith('(idle)')) continue;
  total += dt;
  self.set(leaf, (self.get(leaf) ?? 0) + dt);
  const seen = new Set<string>();
  while (id !== undefined) {
    const name = nameOf(byId.get(id) as ProfileNode);
    if (!seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
    id = parentOf.get(id);
  }
}
const pct = (x: number) => `${((100 * x) / total).toFixed(1).padStart(5)} %`;
process.stdout.write(`non-idle ${(total / 1e6).toFixed(3)} s\n`);
for (const [name, t] of [...inclusive]
  .filter(([name]) => match.test(name))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  process.stdout.write(`${pct(t)} inclusive ${pct(self.get(name) ?? 0)} self  ${name}\n`);
}
