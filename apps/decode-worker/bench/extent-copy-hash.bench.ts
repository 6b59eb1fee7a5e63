// What a same-host handoff costs the decode worker per byte, without the transport: copying a staging extent
// out of a /dev/shm file (`pread`) and checking its XXH32, in the ways the receiver could do it. CPU time of this
// process (process.cpuUsage), 128 MiB per pass (512 blocks of 256 KiB, as the handoff bench moves), the last
// two of four passes printed. (Round 4 also measured hashing each 64 KiB piece as it lands, with a streaming
// XXH32: no gain, see results/handoff-r4-copyonce.md; that variant was not kept.)
//   cold destination: each block lands in its own buffer of a 128 MiB slab (the handoff bench holds all of a
//                     round's handoffs until their TTL, so its receiver writes memory that is not in cache);
//   hot destination:  every block lands in the same 256 KiB buffer (what prompt claims would give: a handoff
//                     claimed, imported and released before the next one arrives reuses the same buffers).
// Run (holding the bench lock): flock /work/bench.lock node --import tsx apps/decode-worker/bench/extent-copy-hash.bench.ts
import { ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { loadAverage } from '@oicf/cluster/process-cpu';
import { xxhash32 } from '@oicf/kv';

const BLOCK_BYTES = 256 * 1024;
const NUM_BLOCKS = 512;
const SEGMENT_BLOCKS = 256; // 64 MiB staging segment, as the handoff bench's sender has

const path = `/dev/shm/oicf-extent-bench-${process.pid}`;
const fd = openSync(path, 'w+');
unlinkSync(path);
ftruncateSync(fd, 4096 + SEGMENT_BLOCKS * BLOCK_BYTES);
const block = new Uint8Array(BLOCK_BYTES);
for (let i = 0; i < BLOCK_BYTES; i++) block[i] = (i * 131) & 0xff;
for (let k = 0; k < SEGMENT_BLOCKS; k++) writeSync(fd, block, 0, BLOCK_BYTES, 4096 + k * BLOCK_BYTES);
const expected = xxhash32(block);
const slab = new Uint8Array(NUM_BLOCKS * BLOCK_BYTES).fill(1); // touched once: no page faults in the passes
const hot = new Uint8Array(BLOCK_BYTES);

const pread = (into: Uint8Array, offset: number) => {
  for (let done = 0; done < into.byteLength; ) done += readSync(fd, into, done, into.byteLength - done, offset + done);
};
const check = (sum: number) => {
  if (sum !== expected) throw new Error(`XXH32 ${sum} ≠ ${expected}`);
};
const ways: Record<string, (into: Uint8Array, offset: number) => void> = {
  'copy only': pread,
  'copy, then XXH32 of the block': (into, offset) => {
    pread(into, offset);
    check(xxhash32(into));
  },
};

const cpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
};
process.stdout.write(
  `load ${loadAverage().join(' ')}\n| way | destination | CPU ns/B (pass 3, 4) |\n| --- | --- | ---: |\n`,
);
for (const [name, way] of Object.entries(ways)) {
  for (const destination of ['cold', 'hot'] as const) {
    const figures: string[] = [];
    for (let pass = 0; pass < 4; pass++) {
      const t0 = cpuNs();
      for (let i = 0; i < NUM_BLOCKS; i++) {
        const into = destination === 'hot' ? hot : slab.subarray(i * BLOCK_BYTES, (i + 1) * BLOCK_BYTES);
        way(into, 4096 + (i % SEGMENT_BLOCKS) * BLOCK_BYTES);
      }
      if (pass >= 2) figures.push(((cpuNs() - t0) / (NUM_BLOCKS * BLOCK_BYTES)).toFixed(3));
    }
    process.stdout.write(`| ${name} | ${destination} | ${figures.join(', ')} |\n`);
  }
}
process.stdout.write(`load ${loadAverage().join(' ')}\n`);
