// Round 9: what one block's signed passes cost per side, main's way (a copy, then node:crypto's GMAC, then XXH32) and
// the fused way (@oicf/shm-native gmacCopy: the GMAC, and XXH32 in the pool's mode, computed over 64 KiB chunks of one
// copy), in one process, interleaved round by round (a script, not a test). 256 distinct 256 KiB or 1 MiB buffers of
// "shared memory" (64 or 256 MiB: out of cache, as the bench's blocks) copied to as many private ones; CPU ns per byte.
//   OICF_SHM_NATIVE=1 flock /work/bench.lock node --import tsx apps/kv-pool/bench/fused-pass-costs.ts [--kib=256]
import { createCipheriv, randomBytes } from 'node:crypto';
// (@oicf/shm-native is not a dependency of the kv-pool app: its source is imported directly.)
import { GMAC_SIGN, GMAC_VERIFY, GMAC_XXH32, shmNative } from '../../../packages/shm-native/src/index.js';

const native = shmNative();
const gmacCopy = native?.gmacCopy;
if (native === undefined || gmacCopy === undefined)
  throw new Error('needs the addon with its GMAC (OICF_SHM_NATIVE=1)');
const KIB = Number(process.argv.find((a) => a.startsWith('--kib='))?.slice(6) ?? 256);
const SIZE = KIB * 1024;
const N = 256;
const ROUNDS = 4;
const shared = Array.from({ length: N }, () => randomBytes(SIZE));
const own = Array.from({ length: N }, () => Buffer.alloc(SIZE, 1));
const scratch = Buffer.alloc(SIZE);
const key = randomBytes(32);
const nonce = randomBytes(12);
const head = Buffer.from(`oicf-block-v3\0${'ab'.repeat(32)}\0tiny-gqa/fp32\0`);
const tag = Buffer.alloc(16);
const jsGmac = (bytes: Uint8Array) => {
  const g = createCipheriv('aes-256-gcm', key, nonce);
  g.setAAD(head);
  g.setAAD(bytes);
  g.final();
  return g.getAuthTag();
};

const passes: [string, (i: number) => void][] = [
  // The pool's check of a signed put's slot.
  [
    'pool check, main: copy to scratch, GMAC, XXH32',
    (i) => {
      native.copy(scratch, shared[i] as Buffer);
      jsGmac(scratch);
      native.xxh32(scratch, 0);
    },
  ],
  ['pool check, fused (mode 2)', (i) => gmacCopy(GMAC_XXH32, tag, key, nonce, head, null, shared[i] as Buffer)],
  // A reader's get out of a slot.
  [
    'get, main: copy out, GMAC of the copy',
    (i) => {
      native.copy(own[i] as Buffer, shared[i] as Buffer);
      jsGmac(own[i] as Buffer);
    },
  ],
  ['get, fused (mode 1)', (i) => gmacCopy(GMAC_VERIFY, tag, key, nonce, head, own[i] as Buffer, shared[i] as Buffer)],
  // A writer's put into a slot (own → shared).
  [
    'put, main: GMAC, copy in',
    (i) => {
      jsGmac(own[i] as Buffer);
      native.copy(shared[i] as Buffer, own[i] as Buffer);
    },
  ],
  ['put, fused (mode 0)', (i) => gmacCopy(GMAC_SIGN, tag, key, nonce, head, shared[i] as Buffer, own[i] as Buffer)],
];
const cpuNs = new Map<string, number>();
for (let r = -1; r < ROUNDS; r++) {
  for (const [name, f] of r % 2 === 0 ? passes : [...passes].reverse()) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) f(i);
    const c = process.cpuUsage(c0);
    if (r >= 0) cpuNs.set(name, (cpuNs.get(name) ?? 0) + (c.user + c.system) * 1e3); // round -1 warms up
  }
}
process.stdout.write(
  `${KIB} KiB blocks, ${ROUNDS} rounds × ${N}; load ${(await import('node:os')).loadavg()[0]?.toFixed(1)}\n`,
);
for (const [name] of passes) {
  const nsPerByte = (cpuNs.get(name) ?? 0) / (ROUNDS * N * SIZE);
  process.stdout.write(
    `${name.padEnd(48)} ${nsPerByte.toFixed(3)} ns/B  (${((nsPerByte * SIZE) / 1e3).toFixed(1)} µs/block)\n`,
  );
}
