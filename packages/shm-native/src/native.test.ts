import { describe, expect, it } from 'vitest';
import { shmMapsByDefault, shmNative, shmNativeStatus, shmNativeSwitch } from './native.js';
import { nativeXxh32 } from './xxh32.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const range = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);
const pattern = (n: number, offset: number) => {
  const backing = new Uint8Array(n + offset);
  for (let i = 0; i < n; i++) backing[offset + i] = (i * 31 + 7) & 0xff;
  return backing.subarray(offset);
};

describe('shm-native addon', () => {
  // CI must test the native path, not only the fallback: a CI run where the addon did not load fails here
  // (scripts/ci-system-deps.sh installs gcc; scripts/bootstrap.mjs builds the addon).
  const inCi =
    process.env.CI !== undefined &&
    process.env.CI !== '' &&
    shmNativeSwitch(process.env.OICF_SHM_NATIVE).switch !== 'off';
  it.runIf(inCi)(
    `is loaded in CI${inCi ? '' : ' (skipped: not CI, or OICF_SHM_NATIVE=0 asks for the fallback)'}`,
    () => {
      expect(shmNative()).toBeDefined();
    },
  );

  it('is on only when loaded and OICF_SHM_NATIVE=1, and says why when it is off', () => {
    const status = shmNativeStatus();
    expect(status.on).toBe(shmNative() !== undefined && shmNativeSwitch(process.env.OICF_SHM_NATIVE).switch === 'on');
    if (!status.on) {
      expect(status.loaded).toBe(shmNative() !== undefined);
      expect(status.reason.length).toBeGreaterThan(0);
    }
    // The data path's XXH32 follows the switch.
    expect(nativeXxh32 !== undefined).toBe(status.on);
  });

  it('reads OICF_SHM_NATIVE as vLLM-style booleans; anything else is off and named', () => {
    for (const v of ['0', 'false', 'OFF', ' no ']) expect(shmNativeSwitch(v)).toEqual({ switch: 'off' });
    for (const v of ['1', 'true', 'On', 'YES']) expect(shmNativeSwitch(v)).toEqual({ switch: 'on' });
    expect(shmNativeSwitch(undefined)).toEqual({ switch: 'default' });
    expect(shmNativeSwitch('')).toEqual({ switch: 'default' });
    // A typo must not leave the mapping on (before this, only "0" turned it off: "false" still mapped staging).
    expect(shmNativeSwitch('fasle')).toEqual({ switch: 'off', unknown: 'fasle' });
  });

  it("maps handoff staging by default whenever the addon loaded, the pool's arena only when on (round 7)", () => {
    // Rule H passed and rule D failed (apps/kv-pool/bench/results/kv-pool-r7-pool.md): OICF_SHM_NATIVE=0 (not
    // loaded) maps neither, unset maps staging only, =1 maps both.
    expect(shmMapsByDefault('staging')).toBe(shmNative() !== undefined);
    expect(shmMapsByDefault('arena')).toBe(shmNativeStatus().on);
    if (shmNativeSwitch(process.env.OICF_SHM_NATIVE).switch === 'off') expect(shmMapsByDefault('staging')).toBe(false);
  });
});

const off = shmNative() === undefined ? ' (skipped: the shm-native addon did not load)' : '';
describe.skipIf(shmNative() === undefined)(`native xxh32${off}`, () => {
  const xxh32 = (bytes: Uint8Array, seed: number) => shmNative()?.xxh32(bytes, seed);
  // The same reference values as packages/kv/src/hash/xxhash32.test.ts: libxxhash 0.8.1 XXH32(input, len, seed);
  // "" and "abc" also match xxHash's docs.
  it.each([
    ['""', new Uint8Array(0), 0, 0x02cc5d05],
    ['"a"', ascii('a'), 0, 0x550d7456],
    ['"abc"', ascii('abc'), 0, 0x32d153ff],
    ['"Nobody inspects the spammish repetition"', ascii('Nobody inspects the spammish repetition'), 0, 0xe2293b2f],
    ['bytes 0..16 (17 bytes)', range(17), 1, 0xce2e6190],
    ['bytes 0..255 ×3 (768 bytes)', Uint8Array.from({ length: 768 }, (_, i) => i & 0xff), 0x9e3779b1, 0xaed9c9a4],
  ])('matches the reference for %s', (_name, input, seed, expected) => {
    expect(xxh32(input, seed)).toBe(expected);
  });

  it.each([
    [15, 0, 0x9f29f87b],
    [16, 0, 0x3f6c9665],
    [31, 7, 0xc9db64ff],
    [16384, 0, 0x17927059],
    [32768 + 15, 3, 0x6827439a],
    [1 << 20, 0, 0xb555fac5],
  ])('matches the reference for %i patterned bytes (seed %i) at every start alignment', (n, seed, expected) => {
    expect([0, 1, 2, 3].map((offset) => xxh32(pattern(n, offset), seed))).toEqual([
      expected,
      expected,
      expected,
      expected,
    ]);
  });

  it('refuses what is not a Uint8Array', () => {
    expect(() => xxh32('abc' as unknown as Uint8Array, 0)).toThrow(/Uint8Array/);
    expect(() => xxh32(new Uint16Array(4) as unknown as Uint8Array, 0)).toThrow(/Uint8Array/);
  });

  it('copyXxh32 copies and returns the XXH32 of the copy, at every alignment of either side', () => {
    const native = shmNative() as NonNullable<ReturnType<typeof shmNative>>;
    for (const [from, to] of [
      [0, 0],
      [1, 3],
      [3, 2],
    ] as const) {
      const src = pattern(100003, from);
      const dst = new Uint8Array(100003 + to).subarray(to);
      // 0x20796e40: libxxhash 0.8.1 XXH32 of 100003 patterned bytes, seed 0 (packages/kv's xxhash32.test.ts).
      expect(native.copyXxh32(dst, src, 0)).toBe(0x20796e40);
      expect(Buffer.from(dst).equals(Buffer.from(src))).toBe(true);
    }
    expect(native.copyXxh32(new Uint8Array(17), range(17), 1)).toBe(0xce2e6190);
    expect(() => native.copyXxh32(new Uint8Array(3), new Uint8Array(4), 0)).toThrow(/differ in length/);
  });

  it('xxh32Guarded hashes in place, the same XXH32 at every alignment, and refuses what is not a Uint8Array', () => {
    const native = shmNative() as NonNullable<ReturnType<typeof shmNative>>;
    // 0x20796e40: libxxhash 0.8.1 XXH32 of 100003 patterned bytes, seed 0 (as copyXxh32 above).
    expect([0, 1, 3].map((from) => native.xxh32Guarded(pattern(100003, from), 0))).toEqual([
      0x20796e40, 0x20796e40, 0x20796e40,
    ]);
    expect(native.xxh32Guarded(range(17), 1)).toBe(0xce2e6190);
    expect(native.xxh32Guarded(new Uint8Array(0), 0)).toBe(0x02cc5d05);
    expect(() => native.xxh32Guarded('abc' as unknown as Uint8Array, 0)).toThrow(/Uint8Array/);
  });

  it('copy copies at any alignment and refuses what is not two Uint8Arrays of one length', () => {
    const native = shmNative() as NonNullable<ReturnType<typeof shmNative>>;
    const src = pattern(70001, 3);
    const dst = new Uint8Array(70001 + 1).subarray(1);
    expect(native.copy(dst, src)).toBe(true);
    expect(Buffer.from(dst).equals(Buffer.from(src))).toBe(true);
    expect(native.copy(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(() => native.copy(new Uint8Array(3), new Uint8Array(4))).toThrow(/differ in length/);
    expect(() => native.copy(new Uint8Array(3), 'abc' as unknown as Uint8Array)).toThrow(/two Uint8Arrays/);
  });
});
