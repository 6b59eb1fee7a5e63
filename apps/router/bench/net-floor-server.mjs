// The second floor of the router latency bench (round 10): the same service as http-floor-server.mjs (read
// a JSON body, answer a fixed JSON reply of the router's size with Content-Length, one write) on node:net
// with a minimal HTTP/1.1 reader of its own instead of node:http's parser, IncomingMessage and
// ServerResponse. It answers with the bytes node:http's floor writes (status line, content-type,
// content-length, Date, Connection: keep-alive, Keep-Alive: timeout=5). Its CPU per request is what a Node
// front door on raw sockets pays here before doing any work of its own: the gap to the node:http floor is
// the most a front door on node:net can save over node:http.
//
// `--relay <port>`: the router's shape with no work of its own: each request's body goes as one frame
// (4-byte length + bytes) over one persistent connection to a peer on 127.0.0.1:<port>, and the reply is
// written when the peer's answer frame comes back (in order): two reads, two writes and two wake-ups per
// request, as the router's (client in, frame to the worker, the worker's frame in, reply out). `--peer`: that
// peer, answering each frame with a 48-byte frame.
//
// Minimal but bounded: a head over 16 KiB, a missing or bad Content-Length, a body over 1 MiB or anything
// but a request line ending in HTTP/1.1 gets 400 and a close. Requests on one connection are answered in
// order (pipelined ones included).
import { connect, createServer } from 'node:net';

const reply = JSON.stringify({
  id: 'cmpl-0123456789abcdef0123456789abcdef',
  object: 'text_completion',
  created: 0,
  model: 'tiny-gqa',
  choices: [{ index: 0, text: 'x', finish_reason: 'length', logprobs: null }],
  usage: { prompt_tokens: 8, completion_tokens: 1, total_tokens: 9, prompt_tokens_details: { cached_tokens: 0 } },
});
const replyLength = Buffer.byteLength(reply);
const MAX_HEAD = 16 * 1024;
const MAX_BODY = 1024 * 1024;
const BAD = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

// node:http's Date header, refreshed once a second as node:http does (utcDate's cache).
let date = new Date().toUTCString();
setInterval(() => {
  date = new Date().toUTCString();
}, 1000).unref();

const mode = process.argv[2];
// The relay's connection to its peer, and the sockets (one per request sent, in order) awaiting an answer.
let peer;
const awaiting = [];
let peerBuf = Buffer.alloc(0);
if (mode === '--relay') {
  peer = connect({ host: '127.0.0.1', port: Number(process.argv[3]) });
  peer.setNoDelay(true);
  peer.on('data', (chunk) => {
    peerBuf = peerBuf.length === 0 ? chunk : Buffer.concat([peerBuf, chunk]);
    while (peerBuf.length >= 4 && peerBuf.length >= 4 + peerBuf.readUInt32BE(0)) {
      peerBuf = peerBuf.subarray(4 + peerBuf.readUInt32BE(0));
      const socket = awaiting.shift();
      if (socket !== undefined && !socket.destroyed) socket.write(okReply());
    }
  });
}
const answer = Buffer.alloc(52);
answer.writeUInt32BE(48, 0);

const okReply = () =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${replyLength}\r\nDate: ${date}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n${reply}`;

const peerServer = (socket) => {
  socket.setNoDelay(true);
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    let frames = 0;
    while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
      buf = buf.subarray(4 + buf.readUInt32BE(0));
      frames++;
    }
    if (frames > 0) socket.write(frames === 1 ? answer : Buffer.concat(Array(frames).fill(answer)));
  });
  socket.on('error', () => socket.destroy());
};

const server = createServer(
  mode === '--peer'
    ? peerServer
    : (socket) => {
        socket.setNoDelay(true);
        let buf = Buffer.alloc(0);
        socket.on('data', (chunk) => {
          buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
          let out = '';
          for (;;) {
            const end = buf.indexOf('\r\n\r\n');
            if (end < 0) {
              if (buf.length > MAX_HEAD) return bad(socket, out);
              break;
            }
            const head = buf.toString('latin1', 0, end);
            const lineEnd = head.indexOf('\r\n');
            const line = lineEnd < 0 ? head : head.slice(0, lineEnd);
            if (!line.endsWith(' HTTP/1.1')) return bad(socket, out);
            const lower = head.toLowerCase();
            const at = lower.indexOf('\r\ncontent-length:');
            if (at < 0) return bad(socket, out);
            const stop = lower.indexOf('\r\n', at + 2);
            const value = lower.slice(at + 17, stop < 0 ? lower.length : stop).trim();
            if (!/^[0-9]{1,7}$/.test(value)) return bad(socket, out);
            const length = Number(value);
            if (length > MAX_BODY) return bad(socket, out);
            if (buf.length < end + 4 + length) break;
            const body = buf.subarray(end + 4, end + 4 + length);
            JSON.parse(body.toString('utf8'));
            buf = buf.subarray(end + 4 + length);
            if (peer === undefined) out += okReply();
            else {
              const frame = Buffer.allocUnsafe(4 + length);
              frame.writeUInt32BE(length, 0);
              body.copy(frame, 4);
              peer.write(frame);
              awaiting.push(socket);
            }
          }
          if (out !== '') socket.write(out);
        });
        socket.on('error', () => socket.destroy());
      },
);

function bad(socket, out) {
  socket.end(out + BAD);
}

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, port })}\n`);
});
// Exit at once: server.close() would wait for kept-alive connections a client left open.
process.once('SIGTERM', () => process.exit(0));
const parent = Number(process.env.OICF_PARENT_PID);
if (parent > 0)
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
