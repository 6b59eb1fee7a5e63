// The fixed per-digest cost of the keyed block digest (a script, not a test; round 8's profile,
// results/kv-pool-r8-profile.md): CPU µs per call of the digest's parts, at 0 bytes (the fixed part) and 256 KiB, on a
// hot buffer, and the HMAC subkey two ways (createHmac, or two one-shot SHA-256 over precomputed key pads, which
// would avoid an Hmac object per digest). Mirrors block-digest.ts's `tag`.
//   flock /work/bench.lock node --import tsx apps/kv-pool/bench/digest-fixed-costs.ts
import crypto, { createCipheriv, createHmac, randomBytes } from 'node:crypto';

const key = randomBytes(32);
const salt = randomBytes(24);
const domain = Buffer.from('oicf-block-subkey-v3');
const id = 'abcdef0123456789abcdef0123456789';
const empty = Buffer.alloc(0);
const block = randomBytes(256 * 1024);
const subkeyHmac = () => createHmac('sha256', key).update(domain).update(salt.subarray(0, 12)).digest();
const ipad = Buffer.alloc(64, 0x36);
const opad = Buffer.alloc(64, 0x5c);
for (let i = 0; i < 32; i++) {
  ipad[i] = (ipad[i] as number) ^ (key[i] as number);
  opad[i] = (opad[i] as number) ^ (key[i] as number);
}
const inner = Buffer.concat([ipad, domain, Buffer.alloc(12)]);
const outer = Buffer.concat([opad, Buffer.alloc(32)]);
const subkeyPads = () => {
  salt.copy(inner, 64 + domain.length, 0, 12);
  crypto.hash('sha256', inner, 'buffer').copy(outer, 64);
  return crypto.hash('sha256', outer, 'buffer');
};
if (!subkeyPads().equals(subkeyHmac())) throw new Error('the pad HMAC differs from createHmac');
const sub = subkeyHmac();
const gmac = (payload: Buffer) => {
  const g = createCipheriv('aes-256-gcm', sub, salt.subarray(12, 24));
  g.setAAD(payload);
  g.final();
  return g.getAuthTag();
};
const tag = (payload: Buffer) => {
  const g = createCipheriv('aes-256-gcm', subkeyHmac(), salt.subarray(12, 24));
  g.setAAD(Buffer.from(`oicf-block-v3\0${id}\0tiny-gqa/fp32\0`));
  g.setAAD(payload);
  g.final();
  return g.getAuthTag();
};
function time(name: string, f: () => unknown, n: number): void {
  for (let i = 0; i < 500; i++) f();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const c = process.cpuUsage(c0);
  process.stdout.write(`${name}: ${((c.user + c.system) / n).toFixed(2)} µs CPU per call\n`);
}
time('digest tag, 0 B', () => tag(empty), 20_000);
time('digest tag, 256 KiB', () => tag(block), 2_000);
time('HMAC subkey, createHmac', subkeyHmac, 50_000);
time('HMAC subkey, precomputed pads + crypto.hash', subkeyPads, 50_000);
time('GMAC object + final, 0 B', () => gmac(empty), 50_000);
time('GMAC, 256 KiB', () => gmac(block), 2_000);
time('AAD prefix Buffer.from', () => Buffer.from(`oicf-block-v3\0${id}\0tiny-gqa/fp32\0`), 50_000);
