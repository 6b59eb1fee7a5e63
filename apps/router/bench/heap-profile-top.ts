// The top allocation stacks of a sampled heap profile (tail-probe.mjs's alloc-<pid>.heapprofile: V8's sampling
// heap profiler, bytes by allocating stack). A script, not a test.
//
//   node --import tsx apps/router/bench/heap-profile-top.ts <file.heapprofile> [rows=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}
const [file, rowsArg = '25'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: heap-profile-top.ts <file.heapprofile> [rows]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode };
const rows: [number, string][] = [];
const walk = (n: ProfileNode, stack: string[]) => {
  const f = n.callFrame;
  const here = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  const st = [here, ...stack];
  if (n.selfSize > 0) rows.push([n.selfSize, st.slice(0, 6).join(' < ')]);
  for (const c of n.children) walk(c, st);
};
walk(profile.head, []);
const total = rows.reduce((a, r) => a + r[0], 0);
process.stdout.write(`sampled bytes: ${total}\n`);
for (const [b, s] of rows.sort((a, b) => b[0] - a[0]).slice(0, Number(rowsArg)))
  process.stdout.write(`${b}\t${((100 * b) / total).toFixed(1)} %\t${s}\n`);
