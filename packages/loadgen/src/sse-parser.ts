/**
 * Incremental Server-Sent Events parser (the WHATWG event-stream rules, the parts a client needs):
 * bytes arrive in arbitrary chunks, so an event, a line, a CRLF pair or a multi-byte UTF-8
 * character may be split anywhere. Lines end with CRLF, LF or CR; `data:` lines of one event are
 * joined with "\n"; a blank line dispatches the event (none when it has no data); lines starting
 * with ':' are comments; one space after the colon is dropped; a leading BOM is ignored. An event
 * cut off by the end of the stream is discarded, as the spec says.
 */
export interface SseEvent {
  /** The `event:` field, 'message' by default. */
  readonly event: string;
  readonly data: string;
  /** The last `id:` seen so far in the stream, null before any. */
  readonly id: string | null;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  private lastId: string | null = null;
  private skipLeadingLf = false;
  private atStart = true;

  /** Feeds a chunk; returns the events it completed, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.consume(text);
  }

  /** Flushes the decoder at the end of the stream (a trailing unterminated event is dropped). */
  end(): SseEvent[] {
    return this.consume(this.decoder.decode());
  }

  private consume(text: string): SseEvent[] {
    let input = text;
    if (this.skipLeadingLf && input.length > 0) {
      // The previous chunk ended with CR: an LF starting this one is the second half of CRLF.
      if (input.startsWith('\n')) input = input.slice(1);
      this.skipLeadingLf = false;
    }
    this.buffer += input;
    if (this.atStart && this.buffer.length > 0) {
      if (this.buffer.startsWith('\uFEFF')) this.buffer = this.buffer.slice(1);
      this.atStart = false;
    }
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.buffer.slice(start, i);
      if (c === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i += 1;
        } else this.skipLeadingLf = true;
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      const hasData = this.data.length > 0;
      const event: SseEvent = { event: this.eventType || 'message', data: this.data.join('\n'), id: this.lastId };
      this.data = [];
      this.eventType = '';
      return hasData ? event : undefined;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventType = value;
    else if (field === 'id' && !value.includes('\u0000')) this.lastId = value;
    return undefined;
  }
}
