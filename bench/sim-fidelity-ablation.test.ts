import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ablationLines, keepVerdict } from './sim-fidelity-ablation.js';

const row = (figure: string, e: number) => ({
  figure,
  unit: 'relative' as const,
  errorVsMean: e,
  meetsGoalVsMean: Math.abs(e) <= 0.1,
});
const doc = (a: number[], b: number[]) => ({
  modes: [
    {
      mode: 'a',
      spread: ['TTFT p50', 'TTFT p90', 'TPOT p50', 'TPOT p90', 'throughput req/s', 'goodput req/s'].map((f, i) =>
        row(f, a[i] ?? 0),
      ),
    },
    {
      mode: 'b',
      spread: ['TTFT p50', 'TTFT p90', 'TPOT p50', 'TPOT p90', 'throughput req/s'].map((f, i) => row(f, b[i] ?? 0)),
    },
  ],
});

describe('keepVerdict', () => {
  it('keeps a change whose mean |error| over the judged figures is no larger and that moves no figure out of the goal', () => {
    // With: |errors| a 0.05 + 0.05 + 0.05 + 0.2 + 0.01, b 0.3 + 0.1 + 0.05 + 0.2 + 0.01 → 1.02 / 10 = 0.102.
    // Without: a 0.05 + 0.05 + 0.05 + 0.2 + 0.01, b 0.4 + 0.1 + 0.05 + 0.3 + 0.01 → 1.22 / 10 = 0.122. The goodput
    // row (not judged: +0.5 with) changes nothing.
    const v = keepVerdict(
      doc([0.05, 0.05, -0.05, -0.2, 0.01, 0.5], [-0.3, -0.1, 0.05, -0.2, 0.01]),
      doc([0.05, 0.05, -0.05, -0.2, 0.01, 0], [-0.4, -0.1, 0.05, -0.3, 0.01]),
    );
    expect(v.meanAbsWith).toBeCloseTo(0.102, 12);
    expect(v.meanAbsWithout).toBeCloseTo(0.122, 12);
    expect(v.left).toEqual([]);
    expect(v.keep).toBe(true);
  });

  it('does not keep it when a figure within the goal without it leaves the goal, even if the mean improves', () => {
    // b TPOT p50 +0.05 (within) without, +0.12 (outside) with; the mean still improves (b TTFT p50 0.4 → 0.2).
    const v = keepVerdict(doc([0, 0, 0, 0, 0], [-0.2, 0, 0.12, 0, 0]), doc([0, 0, 0, 0, 0], [-0.4, 0, 0.05, 0, 0]));
    expect(v.meanAbsWith).toBeLessThan(v.meanAbsWithout);
    expect(v.left).toEqual(['b TPOT p50']);
    expect(v.keep).toBe(false);
  });
});

describe('ablationLines', () => {
  it('judges window 7c’s rules M (twin-kernel against twin-no-meter) and S (twin against twin-kernel)', () => {
    const out = mkdtempSync(join(tmpdir(), 'ablation-'));
    const put = (dir: string, d: ReturnType<typeof doc>) => {
      mkdirSync(join(out, dir));
      writeFileSync(join(out, dir, 'sim-fidelity.json'), JSON.stringify(d));
    };
    // twin-no-meter: b TTFT p50 −0.4; twin-kernel: −0.2 (M: mean 0.02 against 0.04, kept); twin: −0.3 (S: 0.03
    // against 0.02, not kept).
    put('twin-no-meter', doc([0, 0, 0, 0, 0], [-0.4, 0, 0, 0, 0]));
    put('twin-kernel', doc([0, 0, 0, 0, 0], [-0.2, 0, 0, 0, 0]));
    put('twin', doc([0, 0, 0, 0, 0], [-0.3, 0, 0, 0, 0]));
    const text = ablationLines(out).join('\n');
    expect(text).toMatch(/## Rule M[\s\S]*2\.0 % with the kernel meter, 4\.0 % without[\s\S]*\*\*kept\*\*/);
    expect(text).toMatch(/## Rule S[\s\S]*3\.0 % with the send meter, 2\.0 % without[\s\S]*\*\*not kept\*\*/);
    expect(text).not.toMatch(/pace work/);
    // twin/ against twin-no-meter/ is not a rule of this layout (twin/ had the send part): no variant section.
    expect(text).not.toMatch(/Variant/);
  });
});
