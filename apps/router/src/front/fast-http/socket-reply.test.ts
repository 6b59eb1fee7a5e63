// SocketReply alone, on a stand-in socket that records writes: the head's bytes as node:http writes them,
// and 'close' listeners (added with on or once, removed with off) run once.
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type ReplyOwner, SocketReply } from './socket-reply.js';

function owner(keepAliveSeconds: number) {
  const writes: string[] = [];
  const socket = {
    writableNeedDrain: false,
    write(data: string, cb?: (err?: Error | null) => void) {
      writes.push(data);
      cb?.(null);
      return true;
    },
  } as unknown as Socket;
  const ended: boolean[] = [];
  const o: ReplyOwner = { socket, keepAliveSeconds, replyEnded: (_r, last) => ended.push(last) };
  return { o, writes, ended };
}

/** The head without its Date line (the one value that changes by the second). */
const withoutDate = (text: string) => text.replace(/Date: [^\r]*\r\n/, '');

describe('SocketReply', () => {
  it('writes a flat header list with Content-Length as one unchunked write, Keep-Alive from the owner', () => {
    const { o, writes, ended } = owner(5);
    const reply = new SocketReply(o, true);
    reply.writeHead(200, ['content-type', 'application/json', 'content-length', '2', 'x-oicf-request-id', 'ab']);
    reply.end('{}');
    expect(writes.length).toBe(1);
    expect(withoutDate(writes[0] as string)).toBe(
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nx-oicf-request-id: ab\r\n' +
        'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n{}',
    );
    expect(ended).toEqual([false]);
  });

  it('chunks a reply without a length; a handler Connection: close decides; no Keep-Alive at 0 s', () => {
    const a = owner(0);
    const chunked = new SocketReply(a.o, true);
    chunked.writeHead(200, { 'content-type': 'text/event-stream' });
    chunked.end('abc');
    expect(withoutDate(a.writes[0] as string)).toBe(
      'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nConnection: keep-alive\r\n' +
        'Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    );
    const b = owner(5);
    const closing = new SocketReply(b.o, true);
    closing.writeHead(200, ['content-length', '0', 'Connection', 'close']);
    closing.end();
    expect(withoutDate(b.writes[0] as string)).toBe(
      'HTTP/1.1 200 OK\r\ncontent-length: 0\r\nConnection: close\r\n\r\n',
    );
    expect(b.ended).toEqual([true]);
  });

  it("runs each 'close' listener once, and not one removed with off before the close", () => {
    const { o } = owner(5);
    const reply = new SocketReply(o, true);
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    reply.once('close', () => calls.push('once'));
    reply.on('close', () => calls.push('on'));
    reply.once('close', removed);
    reply.off('close', removed);
    reply.writeHead(200, ['content-length', '0']);
    reply.end();
    // The connection closing after the reply finished does not fire 'close' again.
    reply.socketClosed();
    expect(calls).toEqual(['once', 'on']);
    expect(reply.writableFinished).toBe(true);
  });
});
