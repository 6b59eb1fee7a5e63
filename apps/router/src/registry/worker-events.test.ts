import { describe, expect, it } from 'vitest';
import { WorkerEventLog } from './worker-events.js';

describe('WorkerEventLog', () => {
  it('pages events after a seq, and says how many the bound dropped', () => {
    let now = 1000;
    const log = new WorkerEventLog(2, () => now++);
    log.push('d0', 'registered', '');
    log.push('d0', 'heartbeat-timeout', 'silent for 3.1 s');
    expect(log.since(0)).toEqual({
      events: [
        { seq: 1, atUnixMs: 1000, workerId: 'd0', kind: 'registered', detail: '' },
        { seq: 2, atUnixMs: 1001, workerId: 'd0', kind: 'heartbeat-timeout', detail: 'silent for 3.1 s' },
      ],
      lastSeq: 2,
      numDropped: 0,
    });
    log.push('d0', 'healthy', '');
    // Capacity 2: event 1 is gone. From seq 0, one event is missing; from seq 1, none.
    expect(log.since(0)).toMatchObject({ lastSeq: 3, numDropped: 1 });
    expect(log.since(0).events.map((e) => e.seq)).toEqual([2, 3]);
    expect(log.since(1)).toMatchObject({ numDropped: 0 });
    expect(log.since(3)).toEqual({ events: [], lastSeq: 3, numDropped: 0 });
  });
});
