// A decode worker builds its decode graphs before it reports ready: batch 1 … min(warmBatches ?? maxBatch,
// maxBatch), so no step in someone's stream stalls its worker on a graph build (bench/results/sim-fidelity-r8-tpot:
// 0.3–0.9 s stalls at the first step of each new batch size when only batch 1 was built). The test suite runs
// every other test with OICF_DECODE_WORKER_WARM_BATCHES=1 (vitest.config.ts) to keep start-up short; here the
// variable is removed, so the default is what runs.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { APP_MAIN, REPO_ROOT } from '@oicf/cluster';
import { describe, expect, it } from 'vitest';

/** Starts a standalone decode worker (no router: ready at once) and returns its log lines up to "ready". */
function startUntilReady(args: string[]): Promise<Record<string, unknown>[]> {
  const env = { ...process.env };
  delete env.OICF_DECODE_WORKER_WARM_BATCHES;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', APP_MAIN['decode-worker'], '--workerId=warm-test', '--role=decode', '--logLevel=info', ...args],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const lines: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      lines.push(entry);
      if (entry.msg === 'decode worker ready') {
        child.kill('SIGTERM');
        resolve(lines);
      }
    });
    child.on('exit', (code) => {
      if (!lines.some((l) => l.msg === 'decode worker ready'))
        reject(new Error(`decode worker exited ${code} before ready: ${stderr}`));
    });
  });
}

const built = (lines: Record<string, unknown>[]) => {
  const at = lines.findIndex((l) => l.msg === 'decode graphs ready');
  const ready = lines.findIndex((l) => l.msg === 'decode worker ready');
  // One progress line per batch size, in order (the launcher's start timeout counts from the latest log line).
  const each = lines.filter((l) => l.msg === 'decode graphs built').map((l) => `${l.batch}/${l.of}`);
  return { batches: lines[at]?.batches, each, beforeReady: at >= 0 && at < ready };
};

describe('decode graphs built at start', () => {
  it('by default every batch size up to maxBatch, before ready', async () => {
    expect(built(await startUntilReady(['--maxBatch=3']))).toEqual({
      batches: '1…3',
      each: ['1/3', '2/3', '3/3'],
      beforeReady: true,
    });
  });

  it('warmBatches lowers it, and is capped at maxBatch', async () => {
    expect(built(await startUntilReady(['--maxBatch=3', '--warmBatches=2']))).toEqual({
      batches: '1…2',
      each: ['1/2', '2/2'],
      beforeReady: true,
    });
    expect(built(await startUntilReady(['--maxBatch=2', '--warmBatches=8']))).toEqual({
      batches: '1…2',
      each: ['1/2', '2/2'],
      beforeReady: true,
    });
  });
});
