// What each per-byte pass of a same-host pool put+get costs alone on this machine (a script, not a test):
// 256 distinct 256 KiB buffers (64 MiB, as the kv-pool bench), each pass run over all of them 8 times after 2
// warm-up rounds; wall and CPU (user, sys) ns per byte of the pass. Copies into and out of a tmpfs file as the
// arena's (`pwrite`/`pread`), into reused, pre-faulted or fresh memory; XXH32; GMAC; the block digest.
//   flock /work/bench.lock node --import tsx apps/kv-pool/bench/pass-costs.ts
import { createCipheriv, randomBytes } from 'node:crypto';
import { ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { blockChecksum } from '@oicf/kv';
import { blockDigest } from '@oicf/pool-client';

const SIZE = 256 * 1024;
const N = 256;
const TOTAL = SIZE * N;
const ROUNDS = 8;
const src = Array.from({ length: N }, () => randomBytes(SIZE));
const path = `/dev/shm/kvpool-pass-costs-${process.pid}`;
const fd = openSync(path, 'w+');
unlinkSync(path); // freed when this process exits
ftruncateSync(fd, (ROUNDS + 3) * TOTAL);
for (let i = 0; i < N; i++) writeSync(fd, src[i] as Buffer, 0, SIZE, i * SIZE); // region 0: pages exist
const spread = Array.from({ length: N }, () => Buffer.alloc(SIZE));
const reused = Buffer.alloc(SIZE);
const key = randomBytes(32);
const iv = randomBytes(12);
const signer = { key: randomBytes(32), kvFormat: 'tiny-gqa/fp32' };
const ID = 'ab'.repeat(16);

function pass(name: string, f: (i: number, round: number) => void, warmRounds = 2): void {
  for (let r = 0; r < warmRounds; r++) for (let i = 0; i < N; i++) f(i, r);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = warmRounds; r < warmRounds + ROUNDS; r++) for (let i = 0; i < N; i++) f(i, r);
  const c = process.cpuUsage(c0);
  const bytes = TOTAL * ROUNDS;
  const ns = (x: number) => x.toFixed(3).padStart(6);
  process.stdout.write(
    `${name.padEnd(52)} wall ${ns(((performance.now() - t0) * 1e6) / bytes)}  user ${ns((c.user * 1e3) / bytes)}  sys ${ns((c.system * 1e3) / bytes)} ns/B\n`,
  );
}

const at = (i: number) => i * SIZE;
pass('memcpy into one reused buffer', (i) => (src[i] as Buffer).copy(reused));
pass('memcpy into 64 MiB of pre-faulted buffers', (i) => (src[i] as Buffer).copy(spread[i] as Buffer));
pass('pwrite into tmpfs pages already written', (i) => writeSync(fd, src[i] as Buffer, 0, SIZE, at(i)));
// Fresh pages: each round writes a region of the file never written before (no warm-up rounds).
pass('pwrite into fresh tmpfs pages', (i, r) => writeSync(fd, src[i] as Buffer, 0, SIZE, (r + 1) * TOTAL + at(i)), 0);
pass('pread into one reused buffer', (i) => readSync(fd, reused, 0, SIZE, at(i)));
pass('pread into pre-faulted buffers', (i) => readSync(fd, spread[i] as Buffer, 0, SIZE, at(i)));
pass('pread into a fresh Buffer.allocUnsafe (a get)', (i) => readSync(fd, Buffer.allocUnsafe(SIZE), 0, SIZE, at(i)));
pass('XXH32 (blockChecksum)', (i) => blockChecksum(src[i] as Buffer));
pass('GMAC alone (AES-256-GCM, payload as AAD)', (i) => {
  const g = createCipheriv('aes-256-gcm', key, iv);
  g.setAAD(src[i] as Buffer);
  g.final();
});
pass('blockDigest (subkey, salt, GMAC)', (i) => blockDigest(signer, ID, src[i] as Buffer));
const CHUNK = 64 * 1024;
pass('GMAC + pwrite fused in 64 KiB chunks', (i) => {
  const g = createCipheriv('aes-256-gcm', key, iv);
  for (let k = 0; k < SIZE; k += CHUNK) {
    const chunk = (src[i] as Buffer).subarray(k, k + CHUNK);
    g.setAAD(chunk);
    writeSync(fd, chunk, 0, CHUNK, at(i) + k);
  }
  g.final();
});
pass('GMAC, then pwrite (two passes)', (i) => {
  const g = createCipheriv('aes-256-gcm', key, iv);
  g.setAAD(src[i] as Buffer);
  g.final();
  writeSync(fd, src[i] as Buffer, 0, SIZE, at(i));
});
