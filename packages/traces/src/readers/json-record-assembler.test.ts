import { describe, expect, it } from 'vitest';
import { JsonRecordAssembler } from './json-record-assembler.js';

function feed(lines: string[]) {
  const a = new JsonRecordAssembler();
  return [...lines.map((line, i) => a.push(line, i + 1)), a.finish()];
}

describe('JsonRecordAssembler', () => {
  it('returns one-line records on their line and skips blank lines', () => {
    expect(feed(['{"a":1}', '', '  {"b":[1,2]}  '])).toEqual([
      { kind: 'record', text: '{"a":1}', startLine: 1 },
      { kind: 'none' },
      { kind: 'record', text: '  {"b":[1,2]}', startLine: 3 },
      { kind: 'none' },
    ]);
  });

  it('joins a pretty-printed record and reports the line it starts on', () => {
    const out = feed(['{', '  "id": "x",', '  "requests": [', '    {"t": 0}', '  ]', '}']);
    expect(out.slice(0, 5).every((o) => o.kind === 'none')).toBe(true);
    expect(out[5]).toEqual({
      kind: 'record',
      text: '{\n  "id": "x",\n  "requests": [\n    {"t": 0}\n  ]\n}',
      startLine: 1,
    });
    expect(JSON.parse((out[5] as { text: string }).text)).toEqual({ id: 'x', requests: [{ t: 0 }] });
  });

  it('ignores brackets and escaped quotes inside strings', () => {
    // The string holds `}` and `\"{`: neither closes or opens anything.
    expect(feed(['{"s": "a}b\\"{", "n": {"m": "]"}}'])[0]).toEqual({
      kind: 'record',
      text: '{"s": "a}b\\"{", "n": {"m": "]"}}',
      startLine: 1,
    });
  });

  it.each([
    [['[1, 2]'], 1, /expected a JSON object starting with '\{', got '\[1, 2\]'/],
    [['{"a": 1} {"b": 2}'], 1, /unexpected text after the record's closing '\}': '\{"b": 2\}'/],
    [['', '{', '  "a": 1'], 2, /the input ends inside this record \(a closing brace is missing\)/],
  ])('reports %j as an error starting on line %i', (lines, startLine, reason) => {
    const out = feed(lines);
    const error = out.find((o) => o.kind === 'error');
    expect(error).toMatchObject({ kind: 'error', startLine });
    expect((error as { reason: string }).reason).toMatch(reason);
  });

  it('starts afresh after an error', () => {
    const out = feed(['{"a": 1} x', '{"b": 2}']);
    expect(out[1]).toEqual({ kind: 'record', text: '{"b": 2}', startLine: 2 });
  });
});
