// The floor of the router latency bench: the cheapest HTTP service Node can be. It reads a JSON body and
// answers a fixed JSON reply of the router's size with Content-Length (one write), on 127.0.0.1:0. Its
// CPU per request is what any Node HTTP front door pays here before doing any work of its own.
import { createServer } from 'node:http';

const reply = JSON.stringify({
  id: 'cmpl-0123456789abcdef0123456789abcdef',
  object: 'text_completion',
  created: 0,
  model: 'tiny-gqa',
  choices: [{ index: 0, text: 'x', finish_reason: 'length', logprobs: null }],
  usage: { prompt_tokens: 8, completion_tokens: 1, total_tokens: 9, prompt_tokens_details: { cached_tokens: 0 } },
});
const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => {
    JSON.parse(Buffer.concat(parts).toString());
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
    res.end(reply);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
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
