// Decode migration through the real router with scripted workers on real request channels (issue 14.1): the
// decode worker streaming a request dies mid-stream (its servers close, so its channel closes); the router
// re-issues the request to another decode worker with the tokens already relayed (resume_token_ids), and the
// client's stream is the whole script, each token once. Bounded by decodeMaxMigrations (0 = off), after which
// the client gets an error naming the limit. The same on real processes: test/integration/migration.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import {
  metricValue,
  postJson,
  readSse,
  startTestRouter,
  type TestRouter,
  waitUntil,
} from './testing/router-harness.js';
import type { ScriptedWorker } from './testing/scripted-worker.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const TEXT = 'migrating streams';
const SCRIPT = [...Buffer.from(TEXT)];
// Every worker decodes locally (no prefill workers), one token per 40 ms: 17 tokens take ~0.7 s.
const decodeWorker = (router: TestRouter, workerId: string) =>
  router.addWorker({ workerId, role: 'decode', text: TEXT, tokenIntervalSeconds: 0.04 });

/** Starts a streamed completion; resolves with the SSE events once it ends. */
function stream(url: string, maxTokens = 64) {
  return postJson(`${url}/v1/completions`, { model: 'tiny-gqa', prompt: 'abc', max_tokens: maxTokens, stream: true });
}

/** The worker the request went to, once it has streamed a few tokens: it then dies. */
async function killServing(workers: readonly ScriptedWorker[], exclude: readonly ScriptedWorker[] = []) {
  let serving: ScriptedWorker | undefined;
  await waitUntil(() => {
    serving = workers.find((w) => !exclude.includes(w) && w.calls.decode.length > 0);
    return serving !== undefined;
  });
  await new Promise((r) => setTimeout(r, 150)); // ~3 tokens relayed
  await (serving as ScriptedWorker).close();
  return serving as ScriptedWorker;
}

function textOf(events: Awaited<ReturnType<typeof readSse>>): string {
  return events
    .filter((e) => e !== '[DONE]')
    .map((e) => (e as { choices?: Array<{ text?: string }> }).choices?.[0]?.text ?? '')
    .join('');
}

describe('decode migration', () => {
  it('a decode worker dying mid-stream: the stream goes on on another worker, every token once', async () => {
    t = await startTestRouter({});
    const workers = [await decodeWorker(t, 'decode-0'), await decodeWorker(t, 'decode-1')];
    const res = stream(t.url);
    const dead = await killServing(workers);
    const events = await readSse(await res);
    expect(textOf(events)).toBe(TEXT);
    expect(events.at(-1)).toBe('[DONE]');
    const other = workers.find((w) => w !== dead) as ScriptedWorker;
    const resumed = other.calls.decode[0]?.resumeTokenIds ?? [];
    // It got the tokens relayed before the death, in order, and the request's own budget.
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed).toEqual(SCRIPT.slice(0, resumed.length));
    expect(other.calls.decode[0]).toMatchObject({ maxTokens: 64, numHandoffTokens: 0 });
    const metrics = await t.metricsText();
    expect(
      metricValue(metrics, 'oicf_router_decode_migrations_requests_total', {
        component: 'router',
        outcome: 'migrated',
      }),
    ).toBe(1);
  });

  it('past decodeMaxMigrations the client gets a clear error after the tokens it had', async () => {
    t = await startTestRouter({ decodeMaxMigrations: 1 });
    const workers = [
      await decodeWorker(t, 'decode-0'),
      await decodeWorker(t, 'decode-1'),
      await decodeWorker(t, 'decode-2'),
    ];
    const res = stream(t.url);
    const first = await killServing(workers);
    await killServing(workers, [first]); // the migrated stream's worker dies too
    const events = await readSse(await res);
    const error = events.find((e) => e !== '[DONE]' && 'error' in (e as object)) as
      | { error: { message: string } }
      | undefined;
    expect(error?.error.message).toMatch(/not migrated: the request was already migrated 1 time\(s\), the limit/);
    // What it had before the error is a prefix of the script, each token once.
    expect(TEXT.startsWith(textOf(events))).toBe(true);
    const metrics = await t.metricsText();
    expect(
      metricValue(metrics, 'oicf_router_decode_migrations_requests_total', { component: 'router', outcome: 'failed' }),
    ).toBe(1);
  });

  it('decodeMaxMigrations 0 turns migration off', async () => {
    t = await startTestRouter({ decodeMaxMigrations: 0 });
    const workers = [await decodeWorker(t, 'decode-0'), await decodeWorker(t, 'decode-1')];
    const res = stream(t.url);
    await killServing(workers);
    const events = await readSse(await res);
    expect(JSON.stringify(events)).toMatch(/not migrated: migration is off/);
    expect(workers.map((w) => w.calls.decode.length).sort()).toEqual([0, 1]);
  });
});
