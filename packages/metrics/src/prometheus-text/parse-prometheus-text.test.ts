import { describe, expect, it } from 'vitest';
import { familyOf, type PromSample, parsePrometheusText, seriesKey } from './parse-prometheus-text.js';

describe('parsePrometheusText', () => {
  it('reads HELP, TYPE, labels, escapes, special values and timestamps', () => {
    const text = [
      '# HELP oicf_kvpool_hit_blocks_total Pool hits.\\nPer tier.',
      '# TYPE oicf_kvpool_hit_blocks_total counter',
      'oicf_kvpool_hit_blocks_total{tier="dram",component="kvpool"} 12',
      'oicf_kvpool_hit_blocks_total{tier="cxl" , component="kvpool",} 3.5e2',
      '# a plain comment',
      '',
      'odd_label{path="C:\\\\x \\"q\\"\\nnext"} -Inf',
      'up 1 1700000000000',
      'nan_value NaN',
      'pos +Inf',
      '# TYPE lat_seconds histogram',
      'lat_seconds_bucket{le="+Inf"} 4',
      'lat_seconds_sum 0.5',
    ].join('\r\n');
    const got = parsePrometheusText(text);
    expect(got.issues).toEqual([]);
    expect(got.types.get('oicf_kvpool_hit_blocks_total')).toBe('counter');
    expect(got.help.get('oicf_kvpool_hit_blocks_total')).toBe('Pool hits.\nPer tier.');
    expect(got.samples.slice(0, 4)).toEqual([
      { name: 'oicf_kvpool_hit_blocks_total', labels: { tier: 'dram', component: 'kvpool' }, value: 12 },
      { name: 'oicf_kvpool_hit_blocks_total', labels: { tier: 'cxl', component: 'kvpool' }, value: 350 },
      { name: 'odd_label', labels: { path: 'C:\\x "q"\nnext' }, value: Number.NEGATIVE_INFINITY },
      { name: 'up', labels: {}, value: 1, timestampMs: 1_700_000_000_000 },
    ]);
    expect(got.samples[4]?.value).toBeNaN();
    expect(got.samples[5]?.value).toBe(Number.POSITIVE_INFINITY);
    expect(got.samples[6]).toEqual({ name: 'lat_seconds_bucket', labels: { le: '+Inf' }, value: 4 });
  });

  // Each line alone; the expected sample is what the exposition format says the line means.
  const lines: [string, string, PromSample][] = [
    // The case a regex `\{[^}]*\}` gets wrong: it stops at the first `}` and reads `x"} 2` as the value.
    [
      '} inside a label value',
      'm{path="/a}b",code="200"} 2',
      { name: 'm', labels: { path: '/a}b', code: '200' }, value: 2 },
    ],
    [', and = inside a label value', 'm{q="a=1,b=2"} 3', { name: 'm', labels: { q: 'a=1,b=2' }, value: 3 }],
    ['# inside a label value', 'm{c="#1"} 4', { name: 'm', labels: { c: '#1' }, value: 4 }],
    ['an escaped quote then }', 'm{s="say \\"}\\""} 5', { name: 'm', labels: { s: 'say "}"' }, value: 5 }],
    [
      'an escaped backslash before the closing quote',
      'm{p="C:\\\\"} 6',
      { name: 'm', labels: { p: 'C:\\' }, value: 6 },
    ],
    ['an escaped newline', 'm{t="a\\nb"} 7', { name: 'm', labels: { t: 'a\nb' }, value: 7 }],
    ['an empty label value', 'm{e=""} 8', { name: 'm', labels: { e: '' }, value: 8 }],
    ['an empty label set', 'm{} 9', { name: 'm', labels: {}, value: 9 }],
    [
      'spaces and tabs between tokens',
      'm{ a = "1" }\t10\t 20',
      { name: 'm', labels: { a: '1' }, value: 10, timestampMs: 20 },
    ],
    ['a colon in the name (recording rules)', 'job:m:rate5m 0.25', { name: 'job:m:rate5m', labels: {}, value: 0.25 }],
    ['exponent notation', 'm 1.5e+09', { name: 'm', labels: {}, value: 1.5e9 }],
    ['a negative number', 'm -0.5', { name: 'm', labels: {}, value: -0.5 }],
    ['Inf in another case', 'm +inf', { name: 'm', labels: {}, value: Number.POSITIVE_INFINITY }],
    ['a negative timestamp', 'm 1 -5', { name: 'm', labels: {}, value: 1, timestampMs: -5 }],
  ];
  it.each(lines)('%s', (_what, line, want) => {
    const got = parsePrometheusText(`${line}\n`);
    expect(got.issues).toEqual([]);
    expect(got.samples).toEqual([want]);
  });

  it('keeps a label called __proto__ as an own entry, not the prototype', () => {
    const [sample] = parsePrometheusText('m{__proto__="x"} 1').samples;
    expect(Object.keys(sample?.labels ?? {})).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(sample?.labels, '__proto__')?.value).toBe('x');
  });

  it.each([
    ['9bad 1', "expected a metric name at the start of '9bad 1'"],
    ['x{a=1} 2', 'x: label a value must be a quoted string'],
    ['x{a="1" 2', "x: expected ',' or '}' after label a"],
    ['x{a="open} 2', 'x: unterminated value of label a'],
    ['x{a="1",a="2"} 2', 'x: label a is given twice'],
    ['x{a="\\t"} 2', "x: invalid escape '\\t' in the value of label a"],
    ['x', 'x: missing value'],
    ['x{a="1"}', 'x: missing value'],
    ['x 0x10', "x: value '0x10' is not a number"],
    ['x 1 2 3', "x: unexpected text after the timestamp: '3'"],
    ['x 1 soon', "x: timestamp 'soon' is not an integer (milliseconds)"],
    ['x 1 1.5', "x: timestamp '1.5' is not an integer (milliseconds)"],
    ['# TYPE x meter', "unknown metric type 'meter' for x"],
  ])('skips %j with an issue naming the line', (line, message) => {
    const got = parsePrometheusText(`ok 1\n${line}\nok 2`);
    expect(got.issues).toEqual([{ line: 2, message }]);
    expect(got.samples.map((s) => s.value)).toEqual([1, 2]);
  });

  it('groups histogram series under their family only when the family is declared', () => {
    const { types } = parsePrometheusText('# TYPE lat_seconds histogram\n');
    expect(familyOf('lat_seconds_bucket', types)).toBe('lat_seconds');
    expect(familyOf('lat_seconds_count', types)).toBe('lat_seconds');
    expect(familyOf('requests_count', types)).toBe('requests_count');
  });

  it('keys a series by name and sorted labels', () => {
    expect(seriesKey({ name: 'm', labels: { b: '2', a: '1' } })).toBe(
      seriesKey({ name: 'm', labels: { a: '1', b: '2' } }),
    );
    expect(seriesKey({ name: 'm', labels: { a: '1' } })).not.toBe(seriesKey({ name: 'm', labels: { a: '2' } }));
  });
});
