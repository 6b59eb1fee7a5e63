import { describe, expect, it } from 'vitest';
import { copilotSmall } from '../testing/fixtures.js';
import { createCopilotParser } from './copilot-parser.js';
import { readTraceText } from './read-trace.js';

function read(text: string) {
  const result = readTraceText(text, { format: 'copilot' });
  if (!result.ok) throw result.error;
  return result;
}

describe('Copilot coding-agent reader', () => {
  it('orders each session by timestamp and measures arrivals from midnight UTC of the first date', () => {
    const { requests } = read(copilotSmall());
    // s1: m1 10:00:00 (2 s), m3 10:00:04 (0.5 s), m2 10:00:05 (1 s), m4 10:01:00; m5 has no prompt.
    // Gaps = start − previous end: 4 − 2 = 2, 5 − 4.5 = 0.5, 60 − 6 = 54. s2: n1 10:00:30 (1 s), n2
    // 11:00:31.5+01:00 = 10:00:31.5 → gap 0.5. 10:00 is 36,000 s after midnight.
    expect(
      requests.map((r) => [r.requestId, r.arrivalSeconds, r.gapAfterPreviousSeconds, r.inputTokens, r.outputTokens]),
    ).toEqual([
      ['s1/0', 36_000, undefined, 300, 20],
      ['s1/1', 36_004, 2, 130, 5],
      ['s1/2', 36_005, 0.5, 400, 10],
      ['s1/3', 36_060, 54, 640, 30],
      ['s2/0', 36_030, undefined, 200, 8],
      ['s2/1', 36_031.5, 0.5, 256, 0],
    ]);
  });

  it('synthesizes 64-token block ids that share what the cached counts say', () => {
    const { requests } = read(copilotSmall());
    // s1 (cached-prefix-blocks.ts): m1 300 tokens → 5 fresh; m3 (tool-model, own chain) 130 → 3 fresh;
    // m2 400 with 256 cached → m1's first 4 + 3 fresh; m4 640 with 384 cached → m2's first 6 + 4 fresh.
    // s2: n1 200 with 128 cached → 2 blocks of Model A's shared prefix (15, 16) + 2 fresh; n2 256 with
    // 200 cached → ⌊200/64⌋ = 3 of n1's + 1 fresh.
    expect(requests.map((r) => r.blockHashes)).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7],
      [0, 1, 2, 3, 8, 9, 10],
      [0, 1, 2, 3, 8, 9, 11, 12, 13, 14],
      [15, 16, 17, 18],
      [15, 16, 17, 19],
    ]);
    expect(requests.every((r) => r.blockTokens === 64)).toBe(true);
  });

  it('notes the synthesis, the calls left out and the tool batches', () => {
    expect(read(copilotSmall()).summary.notes).toEqual([
      'block ids synthesized from the cached-token counts, 64 tokens per block (docs/traces.md §2.5); arrivals in seconds after 2026-06-01T00:00:00.000Z',
      '1 LLM call(s) with 0 prompt tokens left out (nothing to prefill)',
      '1 tool batch(es), 1.5 s in all, lie in the gaps between calls',
    ]);
  });

  const session = (call: Record<string, unknown>, fields: Record<string, unknown> = {}) =>
    JSON.stringify({
      session_id: 'x',
      date: '2026-06-01',
      turns: [
        {
          llm_calls: [
            {
              timestamp: '2026-06-01T00:00:01Z',
              duration_ms: 10,
              model: 'Model A',
              tokens: { prompt: 100, completion: 1, cached: 0 },
              ...call,
            },
          ],
        },
      ],
      ...fields,
    });
  it.each([
    ['no session_id', session({}, { session_id: undefined }), 'session_id', /non-empty string, it is missing/],
    ['a bad date', session({}, { date: '06/01/2026' }), 'date', /date YYYY-MM-DD, got "06\/01\/2026"/],
    ['a bad timestamp', session({ timestamp: 'yesterday' }), 'turns[0].llm_calls[0].timestamp', /ISO-8601 timestamp/],
    [
      'a call before midnight of the date',
      session({ timestamp: '2026-05-31T23:59:59Z' }),
      'turns[0].llm_calls[0].timestamp',
      /before the trace origin 2026-06-01T00:00:00.000Z/,
    ],
    ['no tokens', session({ tokens: undefined }), 'turns[0].llm_calls[0].tokens', /JSON object, it is missing/],
    [
      'more cached than prompt',
      session({ tokens: { prompt: 10, completion: 1, cached: 11 } }),
      'turns[0].llm_calls[0].tokens.cached',
      /≤ tokens.prompt \(10\), got 11/,
    ],
    ['a negative duration', session({ duration_ms: -5 }), 'turns[0].llm_calls[0].duration_ms', /number ≥ 0, got -5/],
    [
      'a bad tool batch',
      JSON.stringify({
        session_id: 'x',
        turns: [{ llm_calls: [], tool_batches: [{ timestamp: '2026-06-01T00:00:00Z', duration_ms: 'long' }] }],
      }),
      'turns[0].tool_batches[0].duration_ms',
      /number ≥ 0, got "long"/,
    ],
  ])('reports %s', (_name, line, field, reason) => {
    const outcome = createCopilotParser().parse(line, 3);
    expect(outcome).toMatchObject({ kind: 'issue', field, lineNumber: 3 });
    if (outcome.kind === 'issue') expect(outcome.reason).toMatch(reason);
  });

  it('rejects a session id used twice', () => {
    const line = session({});
    const result = readTraceText(`${line}\n${line}\n`, { source: 'c.jsonl' });
    expect(!result.ok && result.error.message).toBe(
      "c.jsonl line 2: field 'session_id': 'x' was already used by the session on line 1",
    );
  });

  it('takes midnight of the first call when sessions carry no date', () => {
    const { requests } = read(session({ timestamp: '2026-06-03T00:00:07.25Z' }, { date: undefined }));
    expect(requests[0]?.arrivalSeconds).toBe(7.25);
  });
});
