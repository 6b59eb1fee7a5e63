import { describe, expect, it } from 'vitest';
import { detectTraceFormat } from './detect-format.js';

describe('detectTraceFormat', () => {
  const cases: [string, string | undefined, string | undefined, string][] = [
    [
      'Mooncake line',
      '{"timestamp": 0, "input_length": 1, "output_length": 1, "hash_ids": [0]}',
      'x.jsonl',
      'mooncake',
    ],
    ['Mooncake line, no name', '{"input_length": 1}', undefined, 'mooncake'],
    ['native header', '{"type":"header","format":"oicf-agent-trace","version":1}', 'x.jsonl', 'agent'],
    [
      'native header in a .csv (content wins)',
      '{"type":"header","format":"oicf-agent-trace","version":1}',
      'x.csv',
      'agent',
    ],
    ['Azure header', 'TIMESTAMP,ContextTokens,GeneratedTokens\r', 'x.txt', 'azure'],
    ['Azure header, lower case', 'timestamp,contexttokens,generatedtokens', undefined, 'azure'],
    ['unknown CSV by extension', 'a,b,c', 'x.CSV', 'azure'],
  ];
  it.each(cases)('%s', (_name, line, file, format) => {
    expect(detectTraceFormat(line, file)).toEqual({ ok: true, format });
  });

  it('returns an unknown-format error naming the file and the line', () => {
    const result = detectTraceFormat('{"foo": 1}', 'odd.jsonl');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unknown-format');
    expect(result.error.message).toMatch(
      /^odd\.jsonl: cannot tell the trace format from its first line '\{"foo": 1\}'/,
    );
  });
});
