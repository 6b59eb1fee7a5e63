import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { captureIo, fakeRouters, outputFolders, readReplayJson } from '../replay/testing/command-harness.js';
import { replayCommand } from './replay.js';

// `oicf replay --url` on the session formats of @oicf/traces (kv-cache-tester conversations, Copilot
// sessions, Mooncake lines with session_id) against the in-process fake router: auto-detected, closed
// loop per session, prompts as long as the trace says. Request values come from the fixtures' derivations
// in packages/traces/src/readers/*-parser.test.ts.

const folders = outputFolders('oicf-replay-sessions-');
afterAll(folders.cleanup);
const routers = fakeRouters();
afterEach(routers.closeAll);

interface RecordLike {
  requestId: string;
  sentSeconds: number;
  finishedSeconds: number;
}

async function replay(file: string, speed: number) {
  const router = await routers.start();
  const out = folders.next();
  const io = captureIo();
  const code = await replayCommand.run([file, '--url', router.url, '--speed', String(speed), '--out', out], io);
  expect(code, io.err()).toBe(0);
  const report = readReplayJson(out);
  const byId: Record<string, RecordLike> = Object.fromEntries(report.requests.map((r: RecordLike) => [r.requestId, r]));
  const sent = router.bodies.map((b) => `${b.session_id ?? '-'}:${b.prompt.length}`).sort();
  return { report, byId, sent };
}

describe('oicf replay on the session formats (fake router)', () => {
  it('kv-cache-tester conversations: one closed-loop session per conversation and per subagent', async () => {
    const { report, byId, sent } = await replay('weka-small.jsonl', 20);
    expect(report.meta.loop).toBe('closed');
    expect(report.summary.byStatus).toEqual({ ok: 7, rejected: 0, error: 0, cancelled: 0 });
    // conv-a prompts 10, 10, 17; its subagent 6, 9; conv-b 8, 13.
    expect(sent).toEqual([
      'conv-a/sub1:6',
      'conv-a/sub1:9',
      'conv-a:10',
      'conv-a:10',
      'conv-a:17',
      'conv-b:13',
      'conv-b:8',
    ]);
    // conv-a/1 follows conv-a/0's completion by its 3 s gap (5 − 0 − api_time 2) ÷ speed 20 = 0.15 s.
    expect(byId['conv-a/1']?.sentSeconds).toBeGreaterThanOrEqual(
      (byId['conv-a/0']?.finishedSeconds ?? 0) + 0.15 - 1e-9,
    );
  });

  it('Copilot sessions: calls in timestamp order, closed loop with the gaps between calls', async () => {
    const { report, byId, sent } = await replay('copilot-small.jsonl', 200);
    expect(report.meta.loop).toBe('closed');
    expect(report.summary.byStatus).toEqual({ ok: 6, rejected: 0, error: 0, cancelled: 0 });
    // s1 prompts 300, 130, 400, 640 (the cancelled call has none); s2 200, 256.
    expect(sent).toEqual(['s1:130', 's1:300', 's1:400', 's1:640', 's2:200', 's2:256']);
    // s1/3 comes 54 s after s1/2 ended in the trace: 54 ÷ 200 = 0.27 s after its replayed completion.
    expect(byId['s1/3']?.sentSeconds).toBeGreaterThanOrEqual((byId['s1/2']?.finishedSeconds ?? 0) + 0.27 - 1e-9);
  });

  it('Mooncake with session_id: sessions closed-loop, the line without one on its own', async () => {
    const { report, byId, sent } = await replay('mooncake-sessions.jsonl', 20);
    expect(report.meta.loop).toBe('closed');
    // s1: 600, 1100, 1600 tokens; session 7: 520; the line without a session: 700.
    expect(sent).toEqual(['-:700', '7:520', 's1:1100', 's1:1600', 's1:600']);
    // req-2 (s1's turn 1) waits its delay of 2,500 ms ÷ 20 = 0.125 s after req-0 (turn 0) completed.
    expect(byId['req-2']?.sentSeconds).toBeGreaterThanOrEqual((byId['req-0']?.finishedSeconds ?? 0) + 0.125 - 1e-9);
  });
});
