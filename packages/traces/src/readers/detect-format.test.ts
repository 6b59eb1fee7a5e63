import { describe, expect, it } from 'vitest';
import { copilotSmall, wekaPretty, wekaSmall } from '../testing/fixtures.js';
import { detectTraceFormat, FormatSniffer } from './detect-format.js';

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
    ['unknown CSV by extension, gzipped', 'a,b,c', 'x.csv.gz', 'azure'],
    ['kv-cache-tester conversation', '{"id":"t","block_size":64,"requests":[]}', 'x.jsonl', 'weka'],
    [
      'Copilot session (it has timestamps inside)',
      '{"session_id":"s","turns":[{"llm_calls":[{"timestamp":"x"}]}]}',
      'x.jsonl',
      'copilot',
    ],
    ['Mooncake with a session_id', '{"timestamp":0,"input_length":1,"session_id":"s"}', 'x', 'mooncake'],
    ['an undecided object in a .json file', '{"x":1}', 'trace_0001.json', 'weka'],
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

  it('lists every format in the unknown-format message', () => {
    const result = detectTraceFormat('hello');
    expect(!result.ok && result.error.message).toMatch(/\(mooncake, azure, agent, weka, copilot\)$/);
  });
});

describe('FormatSniffer', () => {
  const sniff = (text: string, name?: string) => {
    const sniffer = new FormatSniffer(name);
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      const decided = sniffer.push(line);
      if (decided !== undefined) return { decided, atLine: i + 1 };
    }
    return { decided: sniffer.finish(), atLine: undefined };
  };

  it('decides one-line records on their line', () => {
    expect(sniff(wekaSmall())).toEqual({ decided: { ok: true, format: 'weka' }, atLine: 1 });
    expect(sniff(copilotSmall())).toEqual({ decided: { ok: true, format: 'copilot' }, atLine: 1 });
  });

  it('waits for the key that names a pretty-printed format', () => {
    // Line 1 is '{', line 2 '"id": "conv-c",', line 3 '"models": [', ..., line 6 '"block_size": 4,'.
    expect(sniff(wekaPretty())).toEqual({ decided: { ok: true, format: 'weka' }, atLine: 6 });
    expect(sniff('{\n  "session_id": "s",\n  "turns": []\n}')).toEqual({
      decided: { ok: true, format: 'copilot' },
      atLine: 3,
    });
  });

  it('decides a Mooncake file with a broken first line by its second line', () => {
    expect(
      sniff('{"timestamp": 0, "input_len\n{"timestamp": 1, "input_length": 5, "output_length": 1, "hash_ids": [0]}'),
    ).toEqual({
      decided: { ok: true, format: 'mooncake' },
      atLine: 2,
    });
  });

  it('falls back on the extension, then fails, at the end of the input', () => {
    expect(sniff('{\n"x": 1\n}', 'a.json')).toEqual({ decided: { ok: true, format: 'weka' }, atLine: undefined });
    const failed = sniff('{\n"x": 1\n}', 'a.jsonl').decided;
    expect(failed?.ok === false && failed.error.code).toBe('unknown-format');
    expect(new FormatSniffer().finish()).toBeUndefined();
  });
});
