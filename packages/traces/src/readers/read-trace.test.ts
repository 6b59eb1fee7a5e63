import { describe, expect, it } from 'vitest';
import {
  agentSmall,
  azureBad,
  azureSmall,
  copilotSmall,
  mooncakeBad,
  mooncakeSmall,
  wekaPretty,
  wekaSmall,
} from '../testing/fixtures.js';
import { iterateTrace, readTrace, readTraceText, splitLines } from './read-trace.js';

async function* asyncLines(text: string): AsyncGenerator<string> {
  for (const line of splitLines(text)) yield line;
}

describe('readTraceText', () => {
  it('auto-detects each fixture format and counts lines', () => {
    const table: [string, string, string, number, number][] = [
      // [text, name, format, requests, physical lines]
      [mooncakeSmall(), 'm.jsonl', 'mooncake', 6, 6],
      [azureSmall(), 'a.csv', 'azure', 5, 6],
      [agentSmall(), 'n.jsonl', 'agent', 5, 6],
    ];
    for (const [text, source, format, numRequests, numLines] of table) {
      const result = readTraceText(text, { source });
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.summary).toEqual({ format, source, numLines, numRequests, numSkippedLines: 0, issues: [] });
      expect(result.requests).toHaveLength(numRequests);
    }
  });

  it('auto-detects the session formats, many requests per record', () => {
    const table: [string, string, number, number][] = [
      // [text, format, requests, physical lines]: 7 requests in 2 conversations, 2 in one pretty-printed
      // over 34 lines, 6 prompts in 2 Copilot sessions.
      [wekaSmall(), 'weka', 7, 2],
      [wekaPretty(), 'weka', 2, 34],
      [copilotSmall(), 'copilot', 6, 2],
    ];
    for (const [text, format, numRequests, numLines] of table) {
      const result = readTraceText(text, { source: 'x.jsonl' });
      if (!result.ok) throw result.error;
      expect(result.summary).toMatchObject({ format, numLines, numRequests, numSkippedLines: 0 });
      expect(result.requests).toHaveLength(numRequests);
    }
  });

  it('reads the Azure fixture across midnight with CRLF and no final newline', () => {
    const result = readTraceText(azureSmall());
    if (!result.ok) throw result.error;
    // 23:59:59.9 → 00:00:00.1 is 0.2 s, → 00:00:01.4 is 1.5 s, → 00:00:02.9 is 3.0 s.
    const arrivals = result.requests.map((r) => r.arrivalSeconds);
    for (const [i, t] of [0, 0.2, 0.2, 1.5, 3].entries()) expect(arrivals[i]).toBeCloseTo(t, 9);
    expect(result.requests.map((r) => [r.inputTokens, r.outputTokens])).toEqual([
      [4808, 10],
      [3180, 8],
      [110, 27],
      [7045, 3],
      [256, 1],
    ]);
  });

  it('is strict by default: the first bad line fails the read with its line number and field', () => {
    const cases: [string, string, string, RegExp][] = [
      [mooncakeBad(), 'mooncake-bad.jsonl', 'invalid-line', /^mooncake-bad\.jsonl line 2: not valid JSON/],
      [azureBad(), 'azure-bad.csv', 'invalid-line', /^azure-bad\.csv line 3: expected 3 comma-separated cells, got 2$/],
    ];
    for (const [text, source, code, message] of cases) {
      const result = readTraceText(text, { source });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe(code);
      expect(result.error.lineNumber).toBe(Number(/line (\d+)/.exec(result.error.message)?.[1]));
      expect(result.error.message).toMatch(message);
    }
  });

  it('names the field of a bad value', () => {
    const text = splitLines(mooncakeBad())
      .filter((_, i) => i !== 1) // drop the bad JSON on line 2; the count mismatch moves up to line 2
      .join('\n');
    const result = readTraceText(text, { source: 't.jsonl' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'invalid-field', lineNumber: 2, field: 'hash_ids', source: 't.jsonl' });
    expect(result.error.message).toBe(
      "t.jsonl line 2: field 'hash_ids': has 2 ids but input_length 1100 needs ceil(1100/512) = 3",
    );
  });

  it('skips and counts bad lines when asked, keeping row-based request ids', () => {
    const mooncake = readTraceText(mooncakeBad(), { source: 'm', badLines: 'skip' });
    if (!mooncake.ok) throw mooncake.error;
    // Lines 1 and 7 are good; 2, 3, 5, 6 are bad; 4 is blank. Line 7 is data row 5 (blank lines are not rows).
    expect(mooncake.requests.map((r) => r.requestId)).toEqual(['req-0', 'req-5']);
    expect(mooncake.summary.numSkippedLines).toBe(4);
    expect(mooncake.summary.issues.map((i) => [i.lineNumber, i.field])).toEqual([
      [2, undefined],
      [3, 'hash_ids'],
      [5, 'input_length'],
      [6, 'hash_ids[1]'],
    ]);
    const azure = readTraceText(azureBad(), { badLines: 'skip', maxIssues: 2 });
    if (!azure.ok) throw azure.error;
    expect(azure.requests.map((r) => r.inputTokens)).toEqual([4808, 10]);
    expect(azure.summary.numSkippedLines).toBe(4);
    expect(azure.summary.issues.map((i) => [i.lineNumber, i.field])).toEqual([
      [3, undefined],
      [4, 'ContextTokens'],
    ]);
  });

  it('fails even in skip mode when the header is bad', () => {
    const result = readTraceText('TIME,In,Out\n2023-11-16 18:00:00,1,1', { format: 'azure', badLines: 'skip' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-header');
  });

  it('reports empty and undetectable input', () => {
    const empty = readTraceText('\n  \n', { source: 'e.jsonl' });
    expect(!empty.ok && [empty.error.code, empty.error.message]).toEqual([
      'empty-trace',
      'e.jsonl: no non-blank line; nothing to read',
    ]);
    const unknown = readTraceText('hello\n');
    expect(!unknown.ok && unknown.error.code).toBe('unknown-format');
  });

  it('honours an explicit format over detection', () => {
    const result = readTraceText(mooncakeSmall(), { format: 'azure' });
    expect(!result.ok && result.error.code).toBe('invalid-header');
  });
});

describe('readTrace and iterateTrace', () => {
  it('give the same requests from an async line source as from text', async () => {
    for (const text of [agentSmall(), wekaPretty(), copilotSmall()]) {
      const fromText = readTraceText(text);
      const fromLines = await readTrace(asyncLines(text));
      expect(fromLines).toEqual(fromText);
    }
  });

  it('stream requests and return the summary', async () => {
    const iterator = iterateTrace(mooncakeBad(), { badLines: 'skip' });
    const ids: string[] = [];
    let next = await iterator.next();
    while (!next.done) {
      ids.push(next.value.requestId);
      next = await iterator.next();
    }
    expect(ids).toEqual(['req-0', 'req-5']);
    expect(next.value.numSkippedLines).toBe(4);
  });

  it('returns bad input as a value from an async source', async () => {
    const result = await readTrace(asyncLines(mooncakeBad()), { source: 'm.jsonl' });
    expect(!result.ok && result.error.lineNumber).toBe(2);
  });
});
