// CPU of the frame codec alone, in a warm loop (a script, never a test): encoding the `decode` frame the
// router sends for a short request and decoding the one-output `decode.step` frame it gets back, the two
// frames of a routed request, each N times after N warm-up calls. Reports µs per call and process CPU µs per
// call (process.cpuUsage). A warm loop shows the codec's own cost; at 1,000 requests/s on a shared machine
// each call runs cold and costs several times more (router-latency.bench.ts measures that, per request).
//
//   node --import tsx packages/transport/bench/frame-codec-warm.bench.ts [--calls 200000]
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame, encodeFrame } from '../src/index.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200000' } } });
const N = Number(values.calls);
const ID = '0123456789abcdef0123456789abcdef';
const DECODE = {
  requestId: ID,
  promptTokenIds: [1, 2, 3, 4, 5, 6, 7, 8],
  promptBlocks: [],
  kvSources: [],
  numHandoffTokens: 0,
  firstTokenId: 0,
  maxTokens: 1,
  sampling: { temperature: 0, topP: 1, topK: 0, seed: 12345, stopTokenIds: [257], logprobs: false, numTopLogprobs: 0 },
  sessionId: '',
  sessionTtlSeconds: 0,
};
const STEP = {
  outputs: [
    {
      firstTokenIndex: 0,
      chunk: {
        requestId: ID,
        tokenIds: [104],
        emittedAfterSeconds: 0.0001,
        stepSeconds: 0,
        finishReason: 'FINISH_REASON_LENGTH',
        usage: { numPromptTokens: 8, numCompletionTokens: 1, numCachedPromptTokens: 0 },
        timings: { queueSeconds: 0, kvReceiveSeconds: 0, decodeSeconds: 0.0001 },
      },
    },
  ],
};
// The binary layout (`hotFrames`), as sent between peers that negotiated it.
const stepBytes = encodeFrame('decode.step', '*', STEP as never, DEFAULT_MAX_FRAME_BYTES, true);
const cases: Array<[string, () => unknown]> = [
  ['encode decode frame', () => encodeFrame('decode', ID, DECODE as never, DEFAULT_MAX_FRAME_BYTES, true)],
  ['decode decode.step frame', () => decodeFrame(stepBytes)],
];
for (const [name, fn] of cases) {
  for (let i = 0; i < N; i++) fn();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fn();
  const wallUs = ((performance.now() - t0) * 1000) / N;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / N;
  console.log(`${name}: ${wallUs.toFixed(2)} µs per call, CPU ${cpuUs.toFixed(2)} µs per call (${N} calls)`);
}
