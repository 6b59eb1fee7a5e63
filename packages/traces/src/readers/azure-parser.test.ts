import { describe, expect, it } from 'vitest';
import { createAzureParser } from './azure-parser.js';

describe('createAzureParser', () => {
  it('reads the header by name, then rows relative to the first row', () => {
    const parser = createAzureParser();
    expect(parser.parse('TIMESTAMP,ContextTokens,GeneratedTokens\r', 1)).toEqual({ kind: 'ignored' });
    expect(parser.parse('2023-11-16 18:17:03.9799600,4808,10\r', 2)).toEqual({
      kind: 'request',
      request: { requestId: 'req-0', arrivalSeconds: 0, inputTokens: 4808, outputTokens: 10 },
    });
    const next = parser.parse('2023-11-16 18:17:04.0319600,3180,8', 3);
    expect(next.kind).toBe('request');
    if (next.kind !== 'request') return;
    expect(next.request.requestId).toBe('req-1');
    // 04.0319600 − 03.9799600 = 0.052 s
    expect(next.request.arrivalSeconds).toBeCloseTo(0.052, 9);
    expect(next.request.blockHashes).toBeUndefined();
  });

  it('finds columns in any order and ignores extra ones', () => {
    const parser = createAzureParser();
    parser.parse('GeneratedTokens,Region,TIMESTAMP,ContextTokens', 1);
    const row = parser.parse('12,eu,2023-11-16 18:00:00.0,300', 2);
    expect(row).toEqual({
      kind: 'request',
      request: { requestId: 'req-0', arrivalSeconds: 0, inputTokens: 300, outputTokens: 12 },
    });
  });

  const HEADER = 'TIMESTAMP,ContextTokens,GeneratedTokens';
  const FIRST = '2023-11-16 18:00:01.0000000,10,1';
  const cases: [string, string, string | undefined, RegExp][] = [
    ['a missing cell', '2023-11-16 18:00:02.0,10', undefined, /expected 3 comma-separated cells, got 2/],
    ['a bad timestamp', '16/11/2023 18:00:02,10,1', 'TIMESTAMP', /YYYY-MM-DD HH:MM:SS.fffffff/],
    ['a non-numeric count', '2023-11-16 18:00:02.0,1e3,1', 'ContextTokens', /integer ≥ 1, got "1e3"/],
    ['zero context tokens', '2023-11-16 18:00:02.0,0,1', 'ContextTokens', /integer ≥ 1, got 0/],
    ['a negative output', '2023-11-16 18:00:02.0,5,-1', 'GeneratedTokens', /integer ≥ 0, got "-1"/],
    ['a row before the first', '2023-11-16 18:00:00.5,5,1', 'TIMESTAMP', /before the first row/],
  ];
  it.each(cases)('reports %s', (_name, line, field, reason) => {
    const parser = createAzureParser();
    parser.parse(HEADER, 1);
    expect(parser.parse(FIRST, 2).kind).toBe('request');
    const outcome = parser.parse(line, 3);
    expect(outcome.kind).toBe('issue');
    if (outcome.kind !== 'issue') return;
    expect(outcome.field).toBe(field);
    expect(outcome.reason).toMatch(reason);
  });

  it('rejects a header without the three columns', () => {
    const outcome = createAzureParser().parse('time,in,out', 1);
    expect(outcome).toMatchObject({ kind: 'issue', code: 'invalid-header', field: 'TIMESTAMP' });
  });
});
