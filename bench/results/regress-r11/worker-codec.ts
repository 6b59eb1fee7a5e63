// Worker side of the request plane's codec, msgpack (acefbff's form) vs the binary layout (main's), warm loop:
// encoding a 16-output decode.step frame (one token each, as a batch-16 decode step sends) and decoding a `decode`
// frame. Informational, not judged. node --import tsx bench/results/regress-r11/worker-codec.ts
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame, encodeFrame } from '../../../packages/transport/src/index.js';
import { encodeFrameParts } from '../../../packages/transport/src/frame-parts.js';

const N = 100000;
const ID = '0123456789abcdef0123456789abcdef';
const DECODE = {
  requestId: ID,
  promptTokenIds: Array.from({ length: 128 }, (_, i) => 32 + (i % 90)),
  promptBlocks: [],
  kvSources: [],
  numHandoffTokens: 128,
  firstTokenId: 0,
  maxTokens: 64,
  sampling: { temperature: 0, topP: 1, topK: 0, seed: 12345, stopTokenIds: [257], logprobs: false, numTopLogprobs: 0 },
  sessionId: '',
  sessionTtlSeconds: 0,
};
const step = () => ({
  outputs: Array.from({ length: 16 }, (_, i) => ({
    firstTokenIndex: 5,
    chunk: { requestId: `${ID}-${i}`, tokenIds: [104], emittedAfterSeconds: 0.0001, stepSeconds: 0.004 },
  })),
});
const STEP = step();
const decHot = encodeFrame('decode', ID, DECODE as never, DEFAULT_MAX_FRAME_BYTES, true);
const decPack = encodeFrame('decode', ID, DECODE as never, DEFAULT_MAX_FRAME_BYTES, false);
const cases: Array<[string, () => unknown]> = [
  ['encode 16-output decode.step, msgpack', () => encodeFrameParts('decode.step', '*', STEP as never, DEFAULT_MAX_FRAME_BYTES, false)],
  ['encode 16-output decode.step, binary', () => encodeFrameParts('decode.step', '*', STEP as never, DEFAULT_MAX_FRAME_BYTES, true)],
  ['decode decode frame (128-token prompt), msgpack', () => decodeFrame(decPack)],
  ['decode decode frame (128-token prompt), binary', () => decodeFrame(decHot)],
];
for (const [name, fn] of cases) {
  for (let i = 0; i < N; i++) fn();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fn();
  const wallUs = ((performance.now() - t0) * 1000) / N;
  const cpu = process.cpuUsage(cpu0);
  console.log(`${name}: ${wallUs.toFixed(2)} µs per call, CPU ${((cpu.user + cpu.system) / N).toFixed(2)} µs per call`);
}
