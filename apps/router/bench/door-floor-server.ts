// The third floor of the router latency bench (round 10): the router's own fast door
// (src/front/fast-http/fast-door.ts: its head parser, connection and SocketReply, in front of an empty
// node:http server as in the router) serving the floor's service: read the JSON body (the door's parseJson),
// answer http-floor-server.mjs's fixed reply with writeHead + end, as the floors do. Its CPU per request
// beside net-floor-server.mjs's is what the router's front door costs above a minimal one. Run through tsx
// (the loader works at module load only; the door's code runs as the JavaScript tsx compiled once).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FastDoor } from '../src/front/fast-http/fast-door.js';
import type { GenerateReply } from '../src/front/http-generate.js';

const reply = JSON.stringify({
  id: 'cmpl-0123456789abcdef0123456789abcdef',
  object: 'text_completion',
  created: 0,
  model: 'tiny-gqa',
  choices: [{ index: 0, text: 'x', finish_reason: 'length', logprobs: null }],
  usage: { prompt_tokens: 8, completion_tokens: 1, total_tokens: 9, prompt_tokens_details: { cached_tokens: 0 } },
});
const replyLength = Buffer.byteLength(reply);

const answer: GenerateReply = async (body, _sessionId, res) => {
  if (!body.ok) throw new Error('the floor got a body that is not JSON');
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': replyLength });
  res.end(reply);
};

const server = createServer((_req, res) => {
  res.writeHead(404).end();
});
FastDoor.install(server, {
  routes: new Map([['/', answer]]),
  maxBodyBytes: 1024 * 1024,
  nowSeconds: () => Date.now() / 1000,
  serving: () => true,
  admit: () => () => {},
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
const parent = Number(process.env.OICF_PARENT_PID);
if (parent > 0)
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
