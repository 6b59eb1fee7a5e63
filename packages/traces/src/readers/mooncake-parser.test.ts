import { describe, expect, it } from 'vitest';
import { mooncakeSessions } from '../testing/fixtures.js';
import { createMooncakeParser } from './mooncake-parser.js';
import { readTraceText } from './read-trace.js';

describe('createMooncakeParser', () => {
  it('normalizes a line: ms → s, 512-token blocks, ids by data row', () => {
    const parser = createMooncakeParser();
    const first = parser.parse(
      '{"timestamp": 1500, "input_length": 1025, "output_length": 7, "hash_ids": [0, 1, 2]}',
      1,
    );
    expect(first).toEqual({
      kind: 'request',
      request: {
        requestId: 'req-0',
        arrivalSeconds: 1.5,
        inputTokens: 1025,
        outputTokens: 7,
        // ceil(1025 / 512) = 3 blocks, the last holding 1 token.
        blockHashes: [0, 1, 2],
        blockTokens: 512,
      },
    });
    expect(parser.parse('', 2)).toEqual({ kind: 'ignored' });
    const second = parser.parse('{"timestamp": 2000, "input_length": 512, "output_length": 1, "hash_ids": [0]}\r', 3);
    expect(second.kind === 'request' && second.request.requestId).toBe('req-1');
  });

  const cases: [string, string, string | undefined, RegExp][] = [
    ['truncated JSON', '{"timestamp": 0', undefined, /not valid JSON/],
    ['array instead of object', '[1,2]', undefined, /expected a JSON object/],
    ['missing timestamp', '{"input_length": 5, "output_length": 1, "hash_ids": [0]}', 'timestamp', /it is missing/],
    [
      'negative timestamp',
      '{"timestamp": -1, "input_length": 5, "output_length": 1, "hash_ids": [0]}',
      'timestamp',
      /≥ 0, got -1/,
    ],
    [
      'zero input',
      '{"timestamp": 0, "input_length": 0, "output_length": 1, "hash_ids": []}',
      'input_length',
      /integer ≥ 1, got 0/,
    ],
    [
      'fractional input',
      '{"timestamp": 0, "input_length": 5.5, "output_length": 1, "hash_ids": [0]}',
      'input_length',
      /got 5.5/,
    ],
    [
      'string output',
      '{"timestamp": 0, "input_length": 5, "output_length": "3", "hash_ids": [0]}',
      'output_length',
      /got "3"/,
    ],
    [
      'hash_ids not an array',
      '{"timestamp": 0, "input_length": 5, "output_length": 1, "hash_ids": 3}',
      'hash_ids',
      /array of block ids/,
    ],
    [
      'string hash id',
      '{"timestamp": 0, "input_length": 5, "output_length": 1, "hash_ids": ["a"]}',
      'hash_ids[0]',
      /non-negative integer, got "a"/,
    ],
    // 1100 tokens need ceil(1100/512) = 3 ids.
    [
      'too few ids',
      '{"timestamp": 0, "input_length": 1100, "output_length": 1, "hash_ids": [0, 1]}',
      'hash_ids',
      /has 2 ids but input_length 1100 needs ceil\(1100\/512\) = 3/,
    ],
    // 512 tokens fill exactly one block.
    [
      'too many ids',
      '{"timestamp": 0, "input_length": 512, "output_length": 1, "hash_ids": [0, 1]}',
      'hash_ids',
      /has 2 ids but input_length 512 needs ceil\(512\/512\) = 1/,
    ],
  ];
  it.each(cases)('reports %s', (_name, line, field, reason) => {
    const outcome = createMooncakeParser().parse(line, 1);
    expect(outcome.kind).toBe('issue');
    if (outcome.kind !== 'issue') return;
    expect(outcome.field).toBe(field);
    expect(outcome.reason).toMatch(reason);
  });

  it('reads the optional session_id and delay: sessions closed-loop, other lines open-loop', () => {
    const result = readTraceText(mooncakeSessions());
    if (!result.ok) throw result.error;
    // s1: turns at 0, 4 and 9 s; turn 1 has delay 2,500 ms → gap 2.5 s, turn 2 none → 9 − 4 = 5 s.
    // The line at 1 s has no session; session 7 (an integer id) has one turn.
    expect(
      result.requests.map((r) => [r.requestId, r.sessionId, r.turnIndex, r.arrivalSeconds, r.gapAfterPreviousSeconds]),
    ).toEqual([
      ['req-0', 's1', 0, 0, undefined],
      ['req-1', undefined, undefined, 1, undefined],
      ['req-2', 's1', 1, 4, 2.5],
      ['req-3', '7', 0, 5, undefined],
      ['req-4', 's1', 2, 9, 5],
    ]);
  });

  it.each([
    ['an empty session_id', { session_id: '' }, 'session_id', /non-empty string or an integer, got ""/],
    ['a delay without a session', { delay: 100 }, 'delay', /needs session_id/],
    ['a negative delay', { session_id: 's', delay: -1 }, 'delay', /number ≥ 0, got -1/],
  ])('reports %s', (_name, extra, field, reason) => {
    const line = JSON.stringify({ timestamp: 0, input_length: 5, output_length: 1, hash_ids: [0], ...extra });
    const outcome = createMooncakeParser().parse(line, 1);
    expect(outcome).toMatchObject({ kind: 'issue', field });
    if (outcome.kind === 'issue') expect(outcome.reason).toMatch(reason);
  });

  it('rejects a session turn earlier than the previous one', () => {
    const parser = createMooncakeParser();
    const line = (timestamp: number) =>
      JSON.stringify({ timestamp, input_length: 5, output_length: 1, hash_ids: [0], session_id: 's' });
    expect(parser.parse(line(500), 1).kind).toBe('request');
    const outcome = parser.parse(line(200), 2);
    expect(outcome).toMatchObject({ kind: 'issue', field: 'timestamp' });
    if (outcome.kind === 'issue') expect(outcome.reason).toBe("200 is before the previous turn of session 's' (500)");
  });
});
