import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cpuSecondsByThread,
  loadAverage,
  machineBusySeconds,
  minorFaults,
  processCpu,
  statCpuSeconds,
} from './process-cpu.js';

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

  it('splits a process by thread and mode, summing threads of one name', () => {
    const root = mkdtempSync(join(tmpdir(), 'oicf-proc-'));
    const thread = (tid: string, comm: string, utime: number, stime: number) => {
      mkdirSync(join(root, '4242', 'task', tid), { recursive: true });
      writeFileSync(
        join(root, '4242', 'task', tid, 'stat'),
        `${tid} (${comm}) S 1 4242 4242 0 -1 4194304 100 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 500 0 0`,
      );
    };
    thread('4242', 'node', 100, 20); // the main thread, whatever its comm
    thread('4243', 'node', 30, 10); // two thread-pool threads named "node"
    thread('4244', 'node', 20, 0);
    thread('4245', 'V8 DefaultWorke', 5, 1);
    const byThread = cpuSecondsByThread(4242, root);
    // main 100/20 ticks = 1.0/0.2 s; "node" (30 + 20)/(10 + 0) ticks = 0.5/0.1 s; V8 5/1 ticks = 0.05/0.01 s.
    expect(Object.fromEntries(byThread)).toEqual({
      'main user': 1,
      'main sys': 0.2,
      'node user': 0.5,
      'node sys': 0.1,
      'V8 DefaultWorke user': 0.05,
      'V8 DefaultWorke sys': 0.01,
    });
    expect(cpuSecondsByThread(1, root).size).toBe(0);
    expect(cpuSecondsByThread(undefined, root).size).toBe(0);
  });

  it("reads minor faults (field 10) and the machine's busy seconds (/proc/stat less idle and iowait)", () => {
    const root = mkdtempSync(join(tmpdir(), 'oicf-proc-'));
    mkdirSync(join(root, '4242'), { recursive: true });
    // In STAT, field 10 (minflt) is the 8th after the comm: "S 1 4242 4242 0 -1 4194304 100" → 100.
    writeFileSync(join(root, '4242', 'stat'), STAT);
    expect(minorFaults(4242, root)).toBe(100);
    expect(minorFaults(1, root)).toBeNaN();
    // user 100, nice 10, system 50, idle 1000, iowait 40, irq 5, softirq 3, steal 2 ticks:
    // busy = 100 + 10 + 50 + 5 + 3 + 2 = 170 ticks = 1.7 s.
    writeFileSync(join(root, 'stat'), 'cpu  100 10 50 1000 40 5 3 2 0 0\ncpu0 50 5 25 500 20 2 1 1 0 0\n');
    expect(machineBusySeconds(root)).toBeCloseTo(1.7, 12);
    expect(machineBusySeconds(join(root, 'none'))).toBeUndefined();
  });

  it('reads this process (Linux)', () => {
    const cpu = processCpu(process.pid);
    expect(cpu.totalSeconds).toBeGreaterThanOrEqual(cpu.mainThreadSeconds);
  });
});
