// What the generation routes write a reply to: the part of node:http's ServerResponse they use. A
// ServerResponse is one (the node:http door); fast-http/socket-reply.ts is the other (the raw-socket door
// for POST /v1/completions and /v1/chat/completions). Both put the same bytes on the wire.
import type { OutgoingHttpHeaders } from 'node:http';

export type ReplyEvent = 'close' | 'drain';

export interface ReplySink {
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  /** Headers as an object, or as a flat [name, value, name, value, …] list kept in order. */
  writeHead(status: number, headers?: OutgoingHttpHeaders | string[]): unknown;
  flushHeaders(): void;
  /** False once the buffered bytes reach the high-water mark ('drain' follows). */
  write(chunk: string): boolean;
  end(chunk?: string): unknown;
  cork(): void;
  uncork(): void;
  /** 'close' fires once: after the reply is finished, or when the connection broke before it was. */
  on(event: ReplyEvent, listener: () => void): unknown;
  once(event: ReplyEvent, listener: () => void): unknown;
  off(event: ReplyEvent, listener: () => void): unknown;
}
