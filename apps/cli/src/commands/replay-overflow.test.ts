// Overflow is a decision (issue 16.4): a trace most of whose requests exceed the cluster's context stops
// before anything is launched or sent, naming the --token-scale that fits; --overflow-limit and
// --allow-overflow decide otherwise. The launcher is injected (each "cluster" a fake router).
import { writeFileSync } from 'node:fs';
import type { ClusterLauncher } from '@oicf/cluster';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { captureIo, fakeRouters, outputFolders } from '../replay/testing/command-harness.js';
import { createReplayCommand } from './replay.js';

const folders = outputFolders('oicf-replay-overflow-');
afterAll(folders.cleanup);
const routers = fakeRouters();
afterEach(routers.closeAll);

function launcher(launched: string[]): () => ClusterLauncher {
  return () => ({
    async launch(_overrides, options) {
      launched.push(options.runDir);
      const r = await routers.start();
      return { routerUrl: r.url, scrapeTargets: [], config: {}, stop: () => r.close() };
    },
  });
}

// mooncake-small.jsonl, prompt + output tokens: 1,010, 1,120, 1,566, 513, 2,088, 605. With a 1,024-token
// context, 3 of 6 (50 %) are over: 1,120, 1,566, 2,088.
function smallContextConfig(): string {
  const dir = folders.next();
  const file = `${dir}.cluster.json`;
  writeFileSync(file, JSON.stringify({ prefill: { maxContextTokens: 1024 }, decode: { maxContextTokens: 1024 } }));
  return file;
}

describe('oicf replay: a trace over the cluster context', () => {
  it('stops before launching or sending, naming the scale that fits (exit 2)', async () => {
    const launched: string[] = [];
    const io = captureIo();
    const code = await createReplayCommand({ launcherFor: launcher(launched) }).run(
      ['mooncake-small.jsonl', '--cluster-config', smallContextConfig(), '--out', folders.next()],
      io,
    );
    expect(code).toBe(2);
    expect(launched).toEqual([]);
    // 1,024 ÷ 2,088 = 0.4904… → 0.49 fits the longest. At 5 % none of 6 may overflow, so no second scale.
    expect(io.err()).toContain(
      '3 of 6 requests (50.0 %) exceed the 1024-token context of the launched cluster (decode.maxContextTokens)',
    );
    expect(io.err()).toContain('Nothing was sent. --token-scale 0.49 fits every request.');
  });

  it('sends when the overflow is within --overflow-limit, or with --allow-overflow, saying how they count', async () => {
    for (const extra of [['--overflow-limit', '0.5'], ['--allow-overflow']]) {
      const launched: string[] = [];
      const io = captureIo();
      const code = await createReplayCommand({ launcherFor: launcher(launched) }).run(
        [
          'mooncake-small.jsonl',
          '--cluster-config',
          smallContextConfig(),
          '--speed',
          '50',
          '--out',
          folders.next(),
          ...extra,
        ],
        io,
      );
      expect(code).toBe(0);
      expect(launched).toHaveLength(1);
      expect(io.err()).toContain("they count as rejects with reason 'context'");
    }
  });

  it('rejects an --overflow-limit outside [0, 1]', async () => {
    await expect(
      createReplayCommand().run(['mooncake-small.jsonl', '--overflow-limit', '5'], captureIo()),
    ).rejects.toThrow("--overflow-limit must be a share in [0, 1], e.g. 0.05, got '5'");
  });
});
