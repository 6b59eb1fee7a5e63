import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CompletionBody, type FakeBehaviour, type FakeRouter, startFakeRouter } from '@oicf/loadgen/testing';
import { fixturesDir } from '@oicf/traces/node';
import { type CapturedIo, captureIo as captureIoIn } from '../../testing/capture-io.js';

/**
 * Helpers for the `oicf replay` command tests: a CommandIo that captures output (cwd = the traces
 * fixtures), fresh output folders under one temp dir, and fake routers closed after each test.
 */
export function captureIo(signal = new AbortController().signal): CapturedIo {
  return captureIoIn(fixturesDir(), { signal });
}

export function outputFolders(prefix: string): { next: () => string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  return { next: () => join(root, `run-${n++}`), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function fakeRouters(): {
  /** `behave` gets the arrival index and the body (requests sent at the same instant may arrive in either order). */
  start: (behave?: (index: number, body: CompletionBody) => FakeBehaviour) => Promise<FakeRouter>;
  closeAll: () => Promise<void>;
} {
  const routers: FakeRouter[] = [];
  return {
    start: async (behave) => {
      const r = await startFakeRouter(behave ? (b, i) => behave(i, b) : undefined);
      routers.push(r);
      return r;
    },
    closeAll: async () => {
      await Promise.all(routers.splice(0).map((r) => r.close()));
    },
  };
}

export const readReplayJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'replay.json'), 'utf8'));
