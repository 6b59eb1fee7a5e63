// What importing a received handoff into the runner's KV cache costs the decode worker per byte: the step after
// the handoff bench's receipt (handoff.bench.ts stops at receipt: nothing claims its handoffs). This is the copy a
// "no copy at receipt" design would fuse with the XXH32 check. tiny-gqa (4 layers, K and V streams of 2 × 64 fp32
// per token: 4 KiB per token), 16 requests × 2,048 tokens imported in frames of 64 tokens (256 KiB, as the bench
// sends), through the calls KernelRunner.importKv makes (splitPayload → SequenceKv.importLayer per layer, then
// numTokens, which seals each full K tile by transposing it), in this loop rather than through importKv itself: its
// argument checks and importPayload's copy of a payload that is not 4-byte aligned are not counted. CPU time of this process (process.cpuUsage), 128 MiB per pass, four
// passes, the last two printed:
//   fresh: a new SequenceKv per request, as KernelRunner.importKv allocates one (its pages are new to the process);
//   reused: one SequenceKv per request slot, allocated once (pages already touched), numTokens reset to 0.
// Run (holding the bench lock): flock /work/bench.lock node --import tsx apps/decode-worker/bench/import-cost.bench.ts
import { loadAverage } from '@oicf/cluster/process-cpu';
import { kvBytesPerToken, kvStreams, SequenceKv, tinyConfig } from '@oicf/kernels';
import { splitPayload } from '@oicf/worker';

const config = tinyConfig('gqa');
const BYTES_PER_TOKEN = kvBytesPerToken(config);
const FRAME_TOKENS = 64;
const TOKENS_PER_REQUEST = 2048;
const REQUESTS = 16;
const MAX_TOKENS = TOKENS_PER_REQUEST + 256; // room for decode steps, as a Decode call's maxTokens gives
const frames = Array.from({ length: TOKENS_PER_REQUEST / FRAME_TOKENS }, (_, i) => {
  // Normal fp32 values in [-1, 1), as KV holds (never denormals, which would slow the transposes' float moves).
  const values = new Float32Array((FRAME_TOKENS * BYTES_PER_TOKEN) / 4);
  for (let j = 0; j < values.length; j++) values[j] = (((i * 7919 + j * 104729) % 2048) - 1024) / 1024 + 1 / 4096;
  return new Uint8Array(values.buffer);
});
const bytesPerPass = REQUESTS * TOKENS_PER_REQUEST * BYTES_PER_TOKEN;

function importRequest(seq: SequenceKv): void {
  for (let i = 0; i < frames.length; i++) {
    const layers = splitPayload(frames[i] as Uint8Array, config.numLayers) as Uint8Array[];
    const counts = layers.map((bytes, l) => seq.importLayer(l, i * FRAME_TOKENS, bytes));
    seq.numTokens = Math.max(seq.numTokens, i * FRAME_TOKENS + (counts[0] ?? 0));
  }
}

const cpuNs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
};
const slots = Array.from(
  { length: REQUESTS },
  (_, r) => new SequenceKv(`slot-${r}`, config.numLayers, kvStreams(config), MAX_TOKENS),
);
const variants: Record<string, () => void> = {
  fresh: () => {
    for (let r = 0; r < REQUESTS; r++)
      importRequest(new SequenceKv(`fresh-${r}`, config.numLayers, kvStreams(config), MAX_TOKENS));
  },
  reused: () => {
    for (const s of slots) {
      s.numTokens = 0;
      importRequest(s);
    }
  },
};
console.log(
  `load ${loadAverage().join(' ')}; ${config.numLayers} layers × ${BYTES_PER_TOKEN} B/token, ${bytesPerPass / 2 ** 20} MiB per pass`,
);
for (const [name, run] of Object.entries(variants)) {
  const out: string[] = [];
  for (let pass = 0; pass < 4; pass++) {
    const c0 = cpuNs();
    const t0 = performance.now();
    run();
    const wallNs = (performance.now() - t0) * 1e6;
    if (pass >= 2)
      out.push(`${((cpuNs() - c0) / bytesPerPass).toFixed(3)} CPU (${(wallNs / bytesPerPass).toFixed(3)} wall)`);
  }
  console.log(`${name}: ns/B ${out.join(', ')}`);
}
