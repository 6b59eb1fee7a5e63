// CPU per block by part, from a `perf record` of the pool and its client (perf-steady.sh): reads `perf script`
// output and prints, for the two busiest processes (the client, then the pool), µs of CPU per block moved (put + get)
// by thread (main, or V8/libuv helpers) and part: GMAC (OpenSSL's GHASH/AES), copies (memmove, the addon's run_copy),
// XXH32, other OpenSSL (HMAC, context setup), kernel, GC, and the rest (JS, V8 builtins and runtime: frames, msgpack,
// ws, promises, the pool's logic). Samples ÷ 1999 Hz ÷ blocks.
//   node --import tsx apps/kv-pool/bench/perf-parts.ts <perf.data> <blocks recorded> [--to=<perf time s>] [--top=N]
// Round 10: --to drops samples after that perf timestamp (the pool's exit, which unmaps and frees its prefaulted
// arena: ~1 s of kernel time that rounds 8 and 9 charged to the blocks; see results/kv-pool-r10-profile.md), and
// --top=N prints each process's N busiest symbols on its main thread.
import { execFileSync } from 'node:child_process';

const [file, blocksArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const toSeconds = Number(flag('to') ?? Number.POSITIVE_INFINITY);
const top = Number(flag('top') ?? 0);
if (file === undefined || blocksArg === undefined) {
  process.stderr.write('usage: perf-parts.ts <perf.data> <blocks recorded>\n');
  process.exit(2);
}
const HZ = 1999;
const text = execFileSync('perf', ['script', '-i', file, '-F', 'pid,tid,time,ip,sym,dso'], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
  stdio: ['ignore', 'pipe', 'ignore'],
});

function partOf(sym: string, dso: string, helper: boolean): string {
  // Round 9's fused copy (the addon's run_gmac_copy, reverted by rule F, results/kv-pool-r9-rule.md: its copy loops, and XXH32's lanes in the pool's mode); the GHASH
  // it calls is GMAC's, the memcpy it calls a copy's.
  if (sym.includes('run_gmac_copy')) return 'fused copy+XXH32';
  if (/gcm_ghash|aesni|gcm_|aes_/.test(sym)) return 'GMAC';
  if (/memmove|memcpy|run_copy/.test(sym)) return 'copy';
  if (sym.includes('xxh32')) return 'XXH32';
  if (/sha256|hmac|EVP_|OPENSSL|CRYPTO_|ossl/i.test(sym)) return 'other OpenSSL';
  if (dso.includes('kernel')) return 'kernel';
  if (/Scaveng|Marking|Sweep|MarkCompact|Heap::|Evacuat/.test(sym)) return 'GC';
  return helper ? 'other (JIT, …)' : 'JS + V8 runtime';
}

const counts = new Map<string, number>();
const perPid = new Map<string, number>();
const symbols = new Map<string, number>();
for (const line of text.split('\n')) {
  const m = /^\s*(\d+)\/(\d+)\s+([0-9.]+):\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/.exec(line);
  if (m === null) continue;
  const [, pid, tid, time, sym, dso] = m as unknown as [string, string, string, string, string, string];
  if (Number(time) > toSeconds) continue;
  const thread = pid === tid ? 'main' : 'helpers';
  if (thread === 'main') {
    const k = `${pid}\t${dso.includes('kernel') ? '[k] ' : ''}${sym.replace(/ file:\/\/\/.*\/(?=[^/]+\/[^/]+:)/, ' ')}`;
    symbols.set(k, (symbols.get(k) ?? 0) + 1);
  }
  const key = `${pid}\t${thread}\t${partOf(sym, dso, thread === 'helpers')}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  perPid.set(pid, (perPid.get(pid) ?? 0) + 1);
}
// The pool is the process whose JS frames are the pool's own (apps/kv-pool/src, or its build
// dist/services/kv-pool.mjs); the busier process is not always the
// client (round 9: the pool was, signed, under a load of 13).
const poolPid = /^\s*(\d+)\/\d+\s+[0-9a-f]+\s+JS:.*\/(?:apps\/kv-pool\/src\/|dist\/services\/kv-pool\.mjs)/m.exec(
  text,
)?.[1];
const busiest = [...perPid].sort((a, b) => b[1] - a[1]).map(([pid]) => pid);
const [client, pool] = poolPid === undefined ? busiest : [busiest.find((p) => p !== poolPid), poolPid];
const usPerSample = 1e6 / HZ / Number(blocksArg);
for (const [pid, name] of [
  [client, 'client'],
  [pool, 'pool'],
] as const) {
  const rows = [...counts].filter(([k]) => k.startsWith(`${pid}\t`)).sort((a, b) => b[1] - a[1]);
  let total = 0;
  for (const [k, n] of rows) {
    const [, thread, part] = k.split('\t');
    total += n;
    process.stdout.write(
      `${name.padEnd(6)} ${(thread ?? '').padEnd(7)} ${(part ?? '').padEnd(16)} ${(n * usPerSample).toFixed(1).padStart(6)} µs/block\n`,
    );
  }
  process.stdout.write(`${name.padEnd(6)} total ${(total * usPerSample).toFixed(1).padStart(6)} µs/block\n`);
  const busiest = [...symbols].filter(([k]) => k.startsWith(`${pid}\t`)).sort((a, b) => b[1] - a[1]);
  for (const [k, n] of busiest.slice(0, top)) {
    process.stdout.write(
      `${name.padEnd(6)} main    ${(n * usPerSample).toFixed(1).padStart(6)} µs/block  ${k.split('\t')[1]}\n`,
    );
  }
}
