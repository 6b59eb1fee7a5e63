import { describe, expect, it } from 'vitest';
import { wekaBad, wekaPretty, wekaSmall } from '../testing/fixtures.js';
import { readTraceText } from './read-trace.js';
import { createWekaParser } from './weka-parser.js';

function read(text: string) {
  const result = readTraceText(text, { format: 'weka' });
  if (!result.ok) throw result.error;
  return result;
}

describe('kv-cache-tester (weka) reader', () => {
  it('maps conversations, subagents and timing to sessions, turns and gaps', () => {
    const { requests, summary } = read(wekaSmall());
    // conv-a: a0 t 0, a1 t 5 (gap 5 − 0 − api_time 2 = 3), subagent spawned at 8 with inner t 0 and 2
    // (arrivals 8, 10; gap 2 − 0 = 2, no timing fields), a2 t 20 (think_time 4); conv-b: b0 t 0, b1 t 3 (gap 3).
    expect(
      requests.map((r) => [r.requestId, r.sessionId, r.turnIndex, r.arrivalSeconds, r.gapAfterPreviousSeconds]),
    ).toEqual([
      ['conv-a/0', 'conv-a', 0, 0, undefined],
      ['conv-a/1', 'conv-a', 1, 5, 3],
      ['conv-a/sub1/0', 'conv-a/sub1', 0, 8, undefined],
      ['conv-a/sub1/1', 'conv-a/sub1', 1, 10, 2],
      ['conv-a/2', 'conv-a', 2, 20, 4],
      ['conv-b/0', 'conv-b', 0, 0, undefined],
      ['conv-b/1', 'conv-b', 1, 3, 3],
    ]);
    expect(requests.map((r) => [r.inputTokens, r.outputTokens])).toEqual([
      [10, 3],
      [10, 4],
      [6, 2],
      [9, 1],
      [17, 5],
      [8, 2],
      [13, 1],
    ]);
    expect(summary.notes).toEqual(["1 subagent(s) of 2 conversation(s) replay as their own sessions ('<id>/sub<k>')"]);
  });

  it('renames local ids per conversation and gives partial tails their own id', () => {
    const { requests } = read(wekaSmall());
    // Trace-wide ids in order of first use. conv-a: local 1 → 0, 2 → 1; a0 has 10 = 2 × 4 + 2 tokens, so a
    // partial block (after 1, 2 tokens) → 2; a1 is the same prompt → the same partial id. Subagent: 7 → 3,
    // partial (3, 2) → 4; 8 → 5, partial (5, 1) → 6. a2: 3 → 7, 4 → 8, partial (8, 1) → 9. conv-b's local
    // 1, 2 name other text → 10, 11 (8 tokens: no partial); 5 → 12, partial → 13.
    expect(requests.map((r) => r.blockHashes)).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [3, 4],
      [3, 5, 6],
      [0, 1, 7, 8, 9],
      [10, 11],
      [10, 11, 12, 13],
    ]);
    expect(new Set(requests.map((r) => r.blockTokens))).toEqual(new Set([4]));
  });

  it('reads a pretty-printed conversation spanning 34 lines', () => {
    const { requests, summary } = read(wekaPretty());
    // Global scope: 1 → 0, 2 → 1, partial of the 9-token prompt → 2; 3 → 3 (12 tokens: no partial).
    expect(requests.map((r) => [r.requestId, r.arrivalSeconds, r.gapAfterPreviousSeconds, r.blockHashes])).toEqual([
      ['conv-c/0', 0, undefined, [0, 1, 2]],
      ['conv-c/1', 4, 2.5, [0, 1, 3]],
    ]);
    expect(summary.numLines).toBe(34);
  });

  it('keeps global ids shared across conversations', () => {
    const conv = (id: string, ids: number[]) =>
      JSON.stringify({
        id,
        block_size: 4,
        hash_id_scope: 'global',
        requests: [{ t: 0, type: 'n', in: 8, out: 1, hash_ids: ids }],
      });
    const { requests } = read(`${conv('x', [1, 2])}\n${conv('y', [1, 5])}\n`);
    expect(requests.map((r) => r.blockHashes)).toEqual([
      [0, 1],
      [0, 2],
    ]);
  });

  it('skips a bad conversation with the line it starts on and the path of the bad field', () => {
    const result = readTraceText(wekaBad(), { source: 'w.jsonl', badLines: 'skip' });
    if (!result.ok) throw result.error;
    expect(result.requests.map((r) => r.sessionId)).toEqual(['good-1', 'good-2']);
    expect(result.summary.issues.map((i) => [i.lineNumber, i.field, i.reason])).toEqual([
      [2, 'requests[1].hash_ids', 'has 1 ids but in 13 needs floor(13/4) = 3 (full blocks) or ceil = 4'],
      [3, 'id', "'good-1' was already used by the conversation on line 1"],
      [4, 'requests[0].type', 'must be "s", "n" or "subagent", got "x"'],
    ]);
  });

  const conversation = (fields: Record<string, unknown>, request: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: 'c',
      block_size: 4,
      requests: [{ t: 0, type: 'n', in: 8, out: 1, hash_ids: [1, 2], ...request }],
      ...fields,
    });
  it.each([
    ['no block_size', conversation({ block_size: undefined }), 'block_size', /integer ≥ 1, it is missing/],
    ['a bad scope', conversation({ hash_id_scope: 'shared' }), 'hash_id_scope', /"local" or "global", got "shared"/],
    ['requests not an array', conversation({ requests: {} }), 'requests', /must be an array/],
    ['a negative t', conversation({}, { t: -1 }), 'requests[0].t', /number ≥ 0, got -1/],
    ['no input', conversation({}, { in: 0, hash_ids: [] }), 'requests[0].in', /integer ≥ 1, got 0/],
    ['a bad id', conversation({}, { hash_ids: [1, -2] }), 'requests[0].hash_ids[1]', /integer ≥ 0, got -2/],
    [
      'time going back',
      JSON.stringify({
        id: 'c',
        block_size: 4,
        requests: [
          { t: 5, in: 4, out: 1, hash_ids: [1] },
          { t: 2, in: 4, out: 1, hash_ids: [1] },
        ],
      }),
      'requests[1].t',
      /2 is before the previous request of 'c' \(requests\[0\]\.t = 5\)/,
    ],
    [
      'a nested subagent',
      JSON.stringify({
        id: 'c',
        block_size: 4,
        requests: [{ t: 1, type: 'subagent', requests: [{ t: 0, type: 'subagent', requests: [] }] }],
      }),
      'requests[0].requests[0].type',
      /subagents cannot nest/,
    ],
  ])('reports %s', (_name, line, field, reason) => {
    const outcome = createWekaParser().parse(line, 7);
    expect(outcome).toMatchObject({ kind: 'issue', field, lineNumber: 7 });
    if (outcome.kind === 'issue') expect(outcome.reason).toMatch(reason);
  });

  it('reports a record left open at the end of the input on its first line', () => {
    const result = readTraceText('{"id": "c", "block_size": 4,\n"requests": [\n', { source: 'w.json' });
    expect(!result.ok && result.error.message).toBe(
      'w.json line 1: the input ends inside this record (a closing brace is missing)',
    );
  });
});
