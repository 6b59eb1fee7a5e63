import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { captureIo, fakeRouters, outputFolders, readReplayJson } from '../replay/testing/command-harness.js';
import { replayCommand } from './replay.js';

// `oicf replay --output-token-scale` and the reuse ceiling of what was sent, end to end against the
// in-process fake router (the HTTP contract only).

const folders = outputFolders('oicf-replay-scaling-');
afterAll(folders.cleanup);
const routers = fakeRouters();
afterEach(routers.closeAll);

describe('oicf replay: output scale apart, reuse ceiling beside the hit ratio', () => {
  it('scales outputs by --output-token-scale, counts the ones that became 1 token, records the ceiling', async () => {
    const router = await routers.start();
    const out = folders.next();
    const io = captureIo();
    const args = ['mooncake-small.jsonl', '--url', router.url, '--token-scale', '0.5', '--output-token-scale', '0.1'];
    expect(await replayCommand.run([...args, '--speed', '20', '--out', out], io)).toBe(0);
    // Inputs × 0.5 as ever: 1000, 1100, 1536, 512, 2048, 600 → 500, 550, 768, 256, 1024, 300. Outputs
    // 10, 20, 30, 1, 40, 5 × 0.1 → round(1) = 1, 2, 3, max(1, round(0.1)) = 1, 4, round(0.5) = 1.
    expect(router.bodies.map((b) => [b.prompt.length, b.max_tokens])).toEqual([
      [500, 1],
      [550, 2],
      [768, 3],
      [256, 1],
      [1024, 4],
      [300, 1],
    ]);
    // r0 (10 → 1) and r5 (5 → 1) became 1 token; r3 asked for 1 in the trace and is not counted.
    expect(io.err()).toContain('warning: 2 of 6 outputs became 1 token at output token scale ×0.1');
    expect(io.err()).toContain('token scale ×0.5 (outputs ×0.1)');
    expect(io.err()).toContain('reuse ceiling at 64-token blocks, the router default');
    const report = readReplayJson(out);
    expect(report.meta.options.outputTokenScale).toBe(0.1);
    // The ceiling of the scaled requests at 64-token blocks (blocks mode keeps ids: 0, 1, … of 256 tokens,
    // last blocks in proportion). A 64-block is cached once a request has sent all of it, and a prompt of
    // P tokens reuses at most ⌊(P − 1) / 64⌋ blocks:
    //   r0 500 [0, 1(244)]: nothing cached yet → 0; leaves 7 blocks (4 in id 0, 3 in id 1)
    //   r1 550 [0, 2, 3(38)]: the 4 blocks of id 0 → 256; leaves id 2's 4 blocks
    //   r2 768 [0, 1, 4]: id 0's 4 + id 1's 3 (r0 sent 244 of its 256) → 448
    //   r3 256 [0]: ⌊255 / 64⌋ = 3 of id 0's 4 → 192
    //   r4 1024 [0, 2, 3, 5]: id 0's 4 + id 2's 4 (id 3: r1 sent 38 tokens, no full block) → 512
    //   r5 300 [6, 7]: new ids → 0
    // 256 + 448 + 192 + 512 = 1408 of 3398 prompt tokens.
    expect(report.meta.reuseCeiling).toEqual({
      blockTokens: 64,
      numPromptTokens: 3398,
      numServedTokens: 1408,
      ratio: 1408 / 3398,
    });
    expect(report.summary.reuseCeiling).toEqual(report.meta.reuseCeiling);
    // The fake router counts r3's whole prompt as cached (it keeps no token uncached), so its 1472
    // cached tokens exceed the ceiling by r3's last 64; the real router cannot (test/integration/replay).
    expect(report.summary.prefix.numCachedTokens).toBe(1472);
    expect(io.out()).toContain('prefix hit ratio 43.3% (ceiling 41.4% at 64-token blocks)');
  });

  it('defaults the output scale to the input scale and says nothing when no output became 1 token', async () => {
    const router = await routers.start();
    const out = folders.next();
    const io = captureIo();
    const args = ['mooncake-small.jsonl', '--url', router.url, '--token-scale', '2', '--speed', '20', '--out', out];
    expect(await replayCommand.run(args, io)).toBe(0);
    // × 2: outputs 10, 20, 30, 1, 40, 5 → 20, 40, 60, 2, 80, 10.
    expect(router.bodies.map((b) => b.max_tokens)).toEqual([20, 40, 60, 2, 80, 10]);
    expect(io.err()).not.toContain('became 1 token');
    expect(readReplayJson(out).meta.options.outputTokenScale).toBe(2);
  });

  it('rejects a bad --output-token-scale with the flag named', async () => {
    await expect(replayCommand.run(['t', '--output-token-scale', '0'], captureIo())).rejects.toThrow(
      "--output-token-scale must be a number > 0, got '0'",
    );
  });

  it('documents the flag and its default in --help', () => {
    expect(replayCommand.usage).toMatch(
      /--output-token-scale <f>\s+scale output lengths \(default: the --token-scale value\)/,
    );
  });
});
