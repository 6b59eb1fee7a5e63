import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAverage, processCpu, statCpuSeconds } from './process-cpu.js';

// A real /proc/<pid>/stat line shape (proc(5)): pid, (comm), state, then ppid … utime (14) stime (15) ….
// The comm here holds a space and a ") " to show the split happens at the last ") ".
const STAT = '4242 (node) weird) ) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 11 0 500 0 0';

describe('process CPU from /proc', () => {
  it('reads utime + stime in clock ticks of 1/100 s', () => {
    // utime 250 + stime 75 = 325 ticks = 3.25 s.
    expect(statCpuSeconds(STAT)).toBe(3.25);
  });

  it('reads a process and its main thread from a /proc tree, and NaN for one that is gone', () => {
    const root = mkdtempSync(join(tmpdir(), 'oicf-proc-'));
    mkdirSync(join(root, '4242', 'task', '4242'), { recursive: true });
    writeFileSync(join(root, '4242', 'stat'), STAT);
    // The main thread: utime 100 + stime 20 = 1.2 s.
    writeFileSync(join(root, '4242', 'task', '4242', 'stat'), STAT.replace(' 250 75 ', ' 100 20 '));
    writeFileSync(join(root, 'loadavg'), '0.52 1.10 2.00 1/200 4242\n');
    expect(processCpu(4242, root)).toEqual({ totalSeconds: 3.25, mainThreadSeconds: 1.2 });
    expect(processCpu(1, root).totalSeconds).toBeNaN();
    expect(loadAverage(root)).toEqual([0.52, 1.1, 2]);
  });

  it('reads this process (Linux)', () => {
    const cpu = processCpu(process.pid);
    expect(cpu.totalSeconds).toBeGreaterThanOrEqual(cpu.mainThreadSeconds);
  });
});
