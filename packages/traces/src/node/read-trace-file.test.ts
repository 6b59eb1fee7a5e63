import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readTraceText } from '../readers/read-trace.js';
import { TRACE_FIXTURES } from '../testing/fixtures.js';
import { readTraceFile } from './read-trace-file.js';
import { fixturesDir, sharedTrace } from './shared-traces.js';

describe('readTraceFile on the generated fixtures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oicf-traces-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['copilot-small.jsonl.gz', 'copilot-shard-without-extension'])(
    'gunzips %s transparently (by its magic number)',
    async (name) => {
      const text = (TRACE_FIXTURES['copilot-small.jsonl'] as () => string)();
      const path = join(dir, name);
      writeFileSync(path, gzipSync(text));
      const fromGzip = await readTraceFile(path, { source: 'copilot' });
      expect(fromGzip).toEqual(readTraceText(text, { source: 'copilot' }));
      expect(fromGzip.ok && fromGzip.summary.numRequests).toBe(6);
    },
  );

  it('throws the zlib error for a corrupt gzip stream', async () => {
    const path = join(dir, 'broken.jsonl.gz');
    const gz = gzipSync((TRACE_FIXTURES['copilot-small.jsonl'] as () => string)());
    writeFileSync(path, Buffer.concat([gz.subarray(0, 40), Buffer.alloc(40, 0x55)]));
    await expect(readTraceFile(path)).rejects.toMatchObject({ code: expect.stringMatching(/^Z_/) });
  });

  it.each([
    'mooncake-small.jsonl',
    'azure-small.csv',
    'agent-small.jsonl',
    'mooncake-sessions.jsonl',
    'weka-small.jsonl',
    'weka-pretty.json',
    'copilot-small.jsonl',
  ])('%s reads as its text does', async (name) => {
    const path = join(fixturesDir(), name);
    const fromFile = await readTraceFile(path);
    const fromText = readTraceText((TRACE_FIXTURES[name] as () => string)(), { source: path });
    expect(fromFile).toEqual(fromText);
    expect(fromFile.ok).toBe(true);
  });

  it('reports the file path and line number of a bad line', async () => {
    const path = join(fixturesDir(), 'azure-bad.csv');
    const result = await readTraceFile(path);
    expect(!result.ok && result.error.message).toBe(`${path} line 3: expected 3 comma-separated cells, got 2`);
  });

  it('throws the I/O error for a missing file', async () => {
    await expect(readTraceFile(join(fixturesDir(), 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

// The public traces described in /work/shared/traces/README.md; row counts from that README.
const SHARED: [string, string, number][] = [
  ['mooncake-fast25/conversation_trace.jsonl', 'mooncake', 12_031],
  ['mooncake-fast25/synthetic_trace.jsonl', 'mooncake', 3_993],
  ['azure-llm-2023/AzureLLMInferenceTrace_code.csv', 'azure', 8_819],
  ['azure-llm-2023/AzureLLMInferenceTrace_conv.csv', 'azure', 19_366],
];

describe('readTraceFile on the shared public traces', () => {
  for (const [relative, format, numRows] of SHARED) {
    const { path, exists } = sharedTrace(relative);
    const title = exists ? `${relative}: ${numRows} rows as ${format}` : `${relative} (skipped: ${path} not found)`;
    it.skipIf(!exists)(title, async () => {
      const result = await readTraceFile(path);
      if (!result.ok) throw result.error;
      expect(result.summary.format).toBe(format);
      expect(result.summary.numRequests).toBe(numRows);
      expect(result.summary.numSkippedLines).toBe(0);
    });
  }

  const conversation = sharedTrace('mooncake-fast25/conversation_trace.jsonl');
  it.skipIf(!conversation.exists)(
    conversation.exists
      ? 'conversation trace: mean input 12,035 ± 1 tokens (Mooncake paper, Table 2)'
      : `conversation trace (skipped: ${conversation.path} not found)`,
    async () => {
      const result = await readTraceFile(conversation.path);
      if (!result.ok) throw result.error;
      const mean = result.requests.reduce((s, r) => s + r.inputTokens, 0) / result.requests.length;
      expect(Math.abs(mean - 12_035)).toBeLessThanOrEqual(1);
      // About one hour of traffic: the file's first timestamp is 0 ms and its last 3,536,999 ms.
      expect(result.requests[0]?.arrivalSeconds).toBe(0);
      expect(result.requests.at(-1)?.arrivalSeconds).toBe(3_536.999);
    },
  );

  const azure = sharedTrace('azure-llm-2023/AzureLLMInferenceTrace_code.csv');
  const azureTitle = 'Azure code trace: relative seconds from the first row';
  it.skipIf(!azure.exists)(azure.exists ? azureTitle : `${azureTitle} (skipped: ${azure.path} not found)`, async () => {
    const result = await readTraceFile(azure.path);
    if (!result.ok) throw result.error;
    // First rows: 18:17:03.9799600 and 18:17:04.0319600 → 0 and 0.052 s; last row 19:14:19.9280160
    // → 57 min 16 s − (0.9799600 − 0.9280160) s = 3420 + 15.948056 = 3435.948056 s after the first.
    expect(result.requests[0]?.arrivalSeconds).toBe(0);
    expect(result.requests[1]?.arrivalSeconds).toBeCloseTo(0.052, 9);
    expect(result.requests.at(-1)?.arrivalSeconds).toBeCloseTo(3435.948056, 6);
  });
});
