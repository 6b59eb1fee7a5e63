import { describe, expect, it } from 'vitest';
import { parsePerfStat, probeHardwareCounters } from './hardware-counters.js';

describe('parsePerfStat', () => {
  it('reads perf stat -x, lines: counts, unsupported events, and ignores the rest', () => {
    // Lines as perf 6 writes them (value,unit,event,run time,percent,metric,metric unit).
    const text = [
      '<not supported>,,cycles,0,100.00,,',
      '1234567,,LLC-load-misses,1000000,100.00,,',
      '0.78,msec,task-clock,781050,100.00,0.646,CPUs utilized',
      '<not counted>,,instructions,0,0.00,,',
      '',
      '# started on Mon',
    ].join('\n');
    expect(parsePerfStat(text)).toEqual({
      cycles: 'unsupported',
      'LLC-load-misses': 1_234_567,
      'task-clock': 0.78,
      instructions: 'unsupported',
    });
  });

  it('probing always answers: the events to count, or one sentence saying why none', () => {
    const r = probeHardwareCounters();
    if (r.available) expect(r.events.length).toBeGreaterThan(0);
    else expect(r.reason).toMatch(/perf|counters/);
  });
});
