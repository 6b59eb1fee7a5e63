// The router as a process (the launcher's view): config errors exit 2 listing every bad field; a good
// config prints the `listening` line; SIGTERM drains (a request in flight completes, then the process
// exits 0); a dead OICF_PARENT_PID stops it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startScriptedWorker } from './testing/scripted-worker.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, out: () => out };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

async function listening(out: () => string): Promise<{ http: string; grpc: string }> {
  const end = Date.now() + 20_000;
  for (;;) {
    const line = out()
      .split('\n')
      .find((l) => l.includes('"event":"listening"'));
    if (line !== undefined) return (JSON.parse(line) as { endpoints: { http: string; grpc: string } }).endpoints;
    if (Date.now() > end) throw new Error(`no listening line; output:\n${out()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('router process', () => {
  it('exits 2 listing every bad config field', async () => {
    const { child, out } = start(['--model=nope', '--mode=sideways', '--httpPort=-1']);
    expect(await exited(child)).toBe(2);
    expect(out()).toMatch(/invalid router config, 3 problems/);
    for (const field of ['model', 'mode', 'httpPort']) expect(out()).toContain(`  ${field}: `);
  });

  it('listens, is not ready without workers, and stops on SIGTERM with exit 0', async () => {
    const { child, out } = start(['--logLevel=warn']);
    const ep = await listening(out);
    expect((await fetch(`${ep.http}/healthz`)).status).toBe(200);
    expect((await fetch(`${ep.http}/readyz`)).status).toBe(503);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(out()).toContain('"event":"stopped"');
  });

  it('drains on SIGTERM: a request in flight completes, then the process exits 0', async () => {
    const { child, out } = start(['--logLevel=warn']);
    const ep = await listening(out);
    // A real gRPC decode worker that registers with the router process and streams "hello" then EOS,
    // one token every 0.2 s: 6 tokens, so the request is still streaming for ~1 s after its first token.
    const worker = await startScriptedWorker({
      workerId: 'decode-0',
      role: 'decode',
      routerGrpcAddress: ep.grpc,
      text: 'hello',
      tokenIntervalSeconds: 0.2,
    });
    let exitedAtMs: number | undefined;
    const exit = exited(child).then((code) => {
      exitedAtMs = Date.now();
      return code;
    });
    try {
      while ((await fetch(`${ep.http}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 20));
      const res = await fetch(`${ep.http}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'tiny-gqa', prompt: 'hi', max_tokens: 16, stream: true }),
      });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let body = '';
      // In flight: the first token has arrived and the stream is still open.
      while (!body.includes('"text":"h"')) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before its first token:\n${body}`);
        body += decoder.decode(value, { stream: true });
      }
      expect(body).not.toContain('[DONE]');
      child.kill('SIGTERM');
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        body += decoder.decode(value, { stream: true });
      }
      const streamEndedAtMs = Date.now();
      // The whole completion arrived after SIGTERM: every token, a finish reason and [DONE].
      const events = body
        .split('\n\n')
        .filter((e) => e.startsWith('data: '))
        .map((e) => e.slice('data: '.length));
      expect(events.at(-1)).toBe('[DONE]');
      const chunks = events
        .slice(0, -1)
        .map((e) => JSON.parse(e) as { choices: { text: string; finish_reason: string | null }[] });
      expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).toBe('hello');
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      expect(worker.cancelledStreams).toEqual([]);
      // Then the process exits 0, after the stream ended, reporting a complete drain.
      expect(await exit).toBe(0);
      expect(streamEndedAtMs).toBeLessThanOrEqual(exitedAtMs as number);
      expect(out()).toContain('"event":"stopped","service":"router","drained":true');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await worker.close();
    }
  });

  it('shuts down when its parent (OICF_PARENT_PID) is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const { child, out } = start(['--logLevel=warn'], { OICF_PARENT_PID: String(gone) });
    await listening(out);
    expect(await exited(child)).toBe(0);
    expect(out()).toContain('parent process exited');
  });
});
