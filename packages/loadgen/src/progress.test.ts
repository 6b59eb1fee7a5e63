import { FakeClock } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import type { DriverProgress } from './driver.js';
import { formatProgressBar, formatProgressLine, ProgressReporter } from './progress.js';

const p = (over: Partial<DriverProgress> = {}): DriverProgress => ({
  elapsedSeconds: 4,
  numPlanned: 30,
  numFinished: 12,
  numInFlight: 3,
  numWaitingForSlot: 1,
  numOk: 10,
  numRejected: 1,
  numErrors: 1,
  ttftP50Seconds: 0.12,
  numOutputTokens: 340,
  ...over,
});

describe('progress text', () => {
  it('bar: 12/30 fills round(0.4 × 24) = 10 cells; 340 tokens / 4 s = 85 tok/s; ETA 18 left × 4 s / 12 = 6 s', () => {
    expect(formatProgressBar(p())).toBe(
      '[##########..............]  12/30  in flight 3  waiting 1  TTFT p50 120 ms  85.0 tok/s  4 s  ETA 6 s',
    );
  });

  it('line for logs, n/a before the first TTFT', () => {
    expect(formatProgressLine(p({ ttftP50Seconds: null, numOutputTokens: 0 }))).toBe(
      'replay 12/30 done (ok 10, rejected 1, errors 1), in flight 3, waiting 1, TTFT p50 n/a, 0.0 tok/s, 4 s, ETA 6 s',
    );
  });

  it('ETA: n/a before the first finish, gone when all are done', () => {
    expect(formatProgressLine(p({ numFinished: 0 }))).toMatch(/, 4 s, ETA n\/a$/);
    expect(formatProgressLine(p({ numFinished: 30 }))).toMatch(/, 4 s$/);
  });
});

describe('ProgressReporter', () => {
  it('without a terminal: one line per interval, plus the final state', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const r = new ProgressReporter({ write: (t) => lines.push(t), isTty: false, clock, lineIntervalSeconds: 5 });
    r.update(p({ numFinished: 1 })); // drawn (first)
    await clock.advance(2);
    r.update(p({ numFinished: 2 })); // 2 s later: not yet
    await clock.advance(3);
    r.tick(); // 5 s after the first line: drawn with the latest state
    r.finish();
    expect(lines.map((l) => l.match(/replay (\d+)\/30/)?.[1])).toEqual(['1', '2', '2']);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
  });

  it('a quiet stretch still advances the elapsed time (the driver’s last state is redrawn with it)', async () => {
    const clock = new FakeClock(100);
    const lines: string[] = [];
    const r = new ProgressReporter({ write: (t) => lines.push(t), isTty: false, clock, lineIntervalSeconds: 5 });
    await clock.advance(4);
    r.update(p({ elapsedSeconds: 4 })); // at 4 s
    await clock.advance(6);
    r.tick(); // nothing new from the driver; 10 s have passed: 340 tokens / 10 s = 34 tok/s
    // The ETA moves with it: 18 of 30 left × 4 s ÷ 12 finished = 6 s, then 18 × 10 s ÷ 12 = 15 s.
    expect(lines.map((l) => l.match(/tok\/s, (.*)\n$/)?.[1])).toEqual(['4 s, ETA 6 s', '10 s, ETA 15 s']);
    expect(lines[1]).toContain('34.0 tok/s');
  });

  it('on a terminal: redraws in place, ends with a newline', () => {
    const clock = new FakeClock();
    let out = '';
    const r = new ProgressReporter({ write: (t) => (out += t), isTty: true, clock });
    r.update(p());
    r.finish();
    expect(out.startsWith('\r[')).toBe(true);
    expect(out.endsWith('\u001b[K\n')).toBe(true);
    expect(out.split('\r')).toHaveLength(3);
  });
});
