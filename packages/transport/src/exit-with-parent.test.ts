import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exitWithParent, exitWithParentFromEnv } from './exit-with-parent.js';

const waitFor = async (cond: () => boolean, seconds = 2) => {
  const end = Date.now() + seconds * 1000;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};

describe('exitWithParent', () => {
  it('shuts down once, after the parent is found gone', async () => {
    let checks = 0;
    let shutdowns = 0;
    // Alive for the first two checks, then gone.
    exitWithParent(
      1234,
      () => {
        shutdowns += 1;
      },
      { intervalSeconds: 0.005, isAlive: () => ++checks <= 2 },
    );
    await waitFor(() => shutdowns > 0);
    await new Promise((r) => setTimeout(r, 30));
    expect({ shutdowns, checks }).toEqual({ shutdowns: 1, checks: 3 });
  });

  it('keeps watching a live parent (this test process) and stops when told', async () => {
    let shutdowns = 0;
    const stop = exitWithParent(
      process.pid,
      () => {
        shutdowns += 1;
      },
      { intervalSeconds: 0.005 },
    );
    await new Promise((r) => setTimeout(r, 40));
    stop();
    expect(shutdowns).toBe(0);
  });

  it('notices a real process that has exited', async () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.status).toBe(0);
    let shutdowns = 0;
    exitWithParent(
      child.pid as number,
      () => {
        shutdowns += 1;
      },
      { intervalSeconds: 0.005 },
    );
    await waitFor(() => shutdowns > 0);
    expect(shutdowns).toBe(1);
  });

  it.each([0, -5, 1.5, Number.NaN])('refuses parent pid %s', (pid) => {
    expect(() => exitWithParent(pid, () => {})).toThrow(/parent pid must be a positive integer/);
  });
});

describe('exitWithParentFromEnv', () => {
  it('watches the pid in OICF_PARENT_PID, and nothing when it is unset or empty', async () => {
    let shutdowns = 0;
    const count = () => {
      shutdowns += 1;
    };
    expect(exitWithParentFromEnv({}, count)).toBeUndefined();
    expect(exitWithParentFromEnv({ OICF_PARENT_PID: '' }, count)).toBeUndefined();
    const stop = exitWithParentFromEnv({ OICF_PARENT_PID: '4321' }, count, {
      intervalSeconds: 0.005,
      isAlive: (pid) => pid !== 4321,
    });
    await waitFor(() => shutdowns > 0);
    stop?.();
    expect(shutdowns).toBe(1);
    expect(() => exitWithParentFromEnv({ OICF_PARENT_PID: 'x' }, count)).toThrow(
      /parent pid must be a positive integer/,
    );
  });
});
