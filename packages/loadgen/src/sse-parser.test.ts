import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from './sse-parser.js';

const STREAM =
  '\uFEFF: a comment\r\n' +
  'data: {"a":1}\r\n\r\n' +
  'event: usage\nid: 7\ndata: line one\ndata:line two\n\n' +
  'data: é€😀\r\r' + // CR-only line ends; multi-byte UTF-8 characters
  'retry: 10\nunknown: x\n\n' + // no data: dispatches nothing
  'data\n\n' + // a field without colon: empty data
  'data: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":1}', id: null },
  { event: 'usage', data: 'line one\nline two', id: '7' },
  { event: 'message', data: 'é€😀', id: '7' },
  { event: 'message', data: '', id: '7' },
  { event: 'message', data: '[DONE]', id: '7' },
];

function feed(chunks: readonly Uint8Array[]): SseEvent[] {
  const parser = new SseParser();
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
}

describe('SseParser', () => {
  const bytes = new TextEncoder().encode(STREAM);

  it('parses the whole stream in one chunk', () => {
    expect(feed([bytes])).toEqual(EXPECTED);
  });

  it('gives the same events for every split point (inside lines, CRLF pairs and UTF-8 characters)', () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(feed([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it('gives the same events byte by byte', () => {
    expect(feed(Array.from(bytes, (_b, i) => bytes.subarray(i, i + 1)))).toEqual(EXPECTED);
  });

  it('drops an event cut off by the end of the stream', () => {
    const parser = new SseParser();
    expect(parser.push('data: complete\n\ndata: cut off')).toEqual([{ event: 'message', data: 'complete', id: null }]);
    expect(parser.end()).toEqual([]);
  });

  it('a CR at the end of one chunk and an LF at the start of the next are one line end', () => {
    const parser = new SseParser();
    expect(parser.push('data: x\r')).toEqual([]);
    // Were the LF a second line end, this blank line would dispatch here; it is not.
    expect(parser.push('\ndata: y\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'message', data: 'x\ny', id: null }]);
  });
});
