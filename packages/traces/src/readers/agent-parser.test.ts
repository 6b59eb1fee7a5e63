import { describe, expect, it } from 'vitest';
import { formatAgentHeader } from './agent-format.js';
import { createAgentParser } from './agent-parser.js';

const HEADER = formatAgentHeader({ blockTokens: 4 });

function parseAll(lines: string[]) {
  const parser = createAgentParser();
  return lines.map((line, i) => parser.parse(line, i + 1));
}

describe('createAgentParser', () => {
  it('maps a turn line to the normalized request', () => {
    const [header, turn0, turn1] = parseAll([
      HEADER,
      '{"type":"turn","sessionId":"s","turnIndex":0,"workflow":"coding","arrivalSeconds":1.25,"inputTokens":6,"newTokens":6,"outputTokens":2,"numScreenshots":0,"blockHashes":[0,1]}',
      '{"type":"turn","sessionId":"s","turnIndex":1,"requestId":"custom","arrivalSeconds":3,"inputTokens":9,"outputTokens":0,"gapAfterPreviousSeconds":1.5}',
    ]);
    expect(header).toEqual({ kind: 'ignored' });
    expect(turn0).toEqual({
      kind: 'request',
      request: {
        requestId: 's/0',
        sessionId: 's',
        turnIndex: 0,
        arrivalSeconds: 1.25,
        inputTokens: 6,
        outputTokens: 2,
        blockHashes: [0, 1],
        blockTokens: 4,
        workflow: 'coding',
        newTokens: 6,
        numScreenshots: 0,
      },
    });
    expect(turn1).toEqual({
      kind: 'request',
      request: {
        requestId: 'custom',
        sessionId: 's',
        turnIndex: 1,
        arrivalSeconds: 3,
        inputTokens: 9,
        outputTokens: 0,
        gapAfterPreviousSeconds: 1.5,
      },
    });
  });

  const turn = (fields: Record<string, unknown>) =>
    JSON.stringify({
      type: 'turn',
      sessionId: 's',
      turnIndex: 0,
      arrivalSeconds: 0,
      inputTokens: 5,
      outputTokens: 1,
      ...fields,
    });
  const cases: [string, string[], string | undefined, RegExp][] = [
    ['a missing header', [turn({})], 'type', /first line must be the header/],
    [
      'a future version',
      ['{"type":"header","format":"oicf-agent-trace","version":2}'],
      'version',
      /unsupported version 2/,
    ],
    ['a non-turn line', [HEADER, '{"type":"session"}'], 'type', /must be "turn"/],
    ['an empty sessionId', [HEADER, turn({ sessionId: '' })], 'sessionId', /non-empty string/],
    ['newTokens above inputTokens', [HEADER, turn({ newTokens: 6 })], 'newTokens', /≤ inputTokens \(5\), got 6/],
    ['a gap on turn 0', [HEADER, turn({ gapAfterPreviousSeconds: 1 })], 'gapAfterPreviousSeconds', /absent on turn 0/],
    // 5 tokens in 4-token blocks need ceil(5/4) = 2 ids.
    ['a wrong block count', [HEADER, turn({ blockHashes: [0] })], 'blockHashes', /needs ceil\(5\/4\) = 2/],
    [
      'a bad block id',
      [HEADER, turn({ blockHashes: [0, -1] })],
      'blockHashes[1]',
      /non-negative integer or non-empty string/,
    ],
    [
      'blocks without blockTokens',
      ['{"type":"header","format":"oicf-agent-trace","version":1}', turn({ blockHashes: [0, 1] })],
      'blockHashes',
      /header line has no blockTokens/,
    ],
    [
      'a repeated turn',
      [HEADER, turn({}), turn({ arrivalSeconds: 1 })],
      'turnIndex',
      /must increase within session 's': got 0 after 0/,
    ],
    [
      'time going back',
      [HEADER, turn({ arrivalSeconds: 5 }), turn({ turnIndex: 1, arrivalSeconds: 4, gapAfterPreviousSeconds: 0 })],
      'arrivalSeconds',
      /4 is before turn 0 of session 's' \(5\)/,
    ],
  ];
  it.each(cases)('reports %s on the last line', (_name, lines, field, reason) => {
    const outcomes = parseAll(lines);
    const last = outcomes[outcomes.length - 1];
    expect(outcomes.slice(0, -1).every((o) => o.kind !== 'issue')).toBe(true);
    expect(last?.kind).toBe('issue');
    if (last?.kind !== 'issue') return;
    expect(last.field).toBe(field);
    expect(last.reason).toMatch(reason);
  });

  it('accepts string block ids (scaled traces) and interleaved sessions', () => {
    const outcomes = parseAll([
      HEADER,
      turn({ sessionId: 'x', blockHashes: ['0/0', '0/1'] }),
      turn({ sessionId: 'y' }),
      turn({ sessionId: 'x', turnIndex: 1, arrivalSeconds: 2 }),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['ignored', 'request', 'request', 'request']);
  });
});
