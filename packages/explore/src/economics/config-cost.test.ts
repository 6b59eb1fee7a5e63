import { unwrap } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { objectivesOf } from '../analytic/objectives.js';
import { enumerateConfigurations } from '../space/enumerate.js';
import { parseSpace } from '../space/resolve-space.js';
import { configCost } from './config-cost.js';

// One configuration priced by hand from the catalog figures (packages/oicf/src/catalog):
//   prefill: 2 × Rubin CPX, TP 1        2 × $4.00 = $8.00/h;    typical 2 × 0.7 × 800 W = 1,120 W; TDP 1,600 W
//   decode:  2 instances × H200 TP 2    4 × $50.44 ÷ 8 = 4 × $6.305 = $25.22/h; typical 4 × 490 W = 1,960 W; TDP 2,800 W
//   optical pool, 8 TB per decode accelerator (4 of them):
//     capacity: 8,000 GB × ($11 ÷ 36 months) ÷ 730 h = 8,000 × 0.305556 ÷ 730 = $3.348554/h per accelerator
//     chiplet:  $0.25/h per accelerator                       → 4 × ($3.348554 + $0.25) = $14.394216/h
//     power:    8,000 GB × 0.1 W/GB + 10 W chiplet = 810 W    → 4 × 810 W = 3,240 W (typical and TDP)
//   total: $8.00 + $25.22 + $14.394216 = $47.614216/h; typical 1,120 + 1,960 + 3,240 = 6,320 W;
//          TDP 1,600 + 2,800 + 3,240 = 7,640 W.
const space = unwrap(
  parseSpace({
    model: 'llama-3.1-70b',
    precision: 'fp8',
    modes: ['disaggregated'],
    prefill: { devices: ['rubin-cpx'], tp: [1], instances: [2] },
    decode: { devices: ['h200'], tp: [2], instances: [2] },
    kvTiers: [['optical-pool']],
  }),
);

describe('configuration price and power', () => {
  const [config] = enumerateConfigurations(space);
  if (config === undefined) throw new Error('no configuration');
  const cost = configCost(config, space.devices);

  it('adds devices and tiers as derived by hand', () => {
    expect(config.id).toBe('dis p=rubin-cpx×2 tp1 d=h200×2 tp2 kv=hbm+optical-pool oicf-cost');
    expect(cost.usdPerHour).toBeCloseTo(47.614216, 5);
    expect(cost.typicalWatts).toBeCloseTo(6320, 6);
    expect(cost.tdpWatts).toBeCloseTo(7640, 6);
    expect([cost.numAccelerators, cost.numDecodeAccelerators]).toEqual([6, 4]);
    expect(cost.lines.map((l) => [l.what, Number(l.usdPerHour.toFixed(6)), Number(l.typicalWatts.toFixed(6))])).toEqual(
      [
        ['rubin-cpx × 2 (prefill)', 8, 1120],
        ['h200 × 4 (decode)', 25.22, 1960],
        ['optical-pool 8000 GB × 4', 14.394216, 3240],
      ],
    );
    // Rubin CPX and the optical pool carry estimates (no public price); the H200 line does not.
    expect(cost.lines.map((l) => l.estimate)).toEqual([true, false, true]);
  });

  it('turns goodput into the objectives by the stated formulas', () => {
    // 2 requests/s meeting SLOs, 400 output tokens each:
    //   per $  = 2 × 3600 ÷ 47.614216 = 151.2154 requests per dollar
    //   per kW = 2 ÷ 6.32 = 0.316456 (req/s)/kW;  tokens per J = 2 × 400 ÷ 6,320 = 0.126582
    const o = objectivesOf(2, 400, cost.usdPerHour, cost.typicalWatts);
    expect(o.goodputPerUsd).toBeCloseTo(151.2154, 3);
    expect(o.goodputPerKw).toBeCloseTo(0.316456, 6);
    expect(o.tokensPerJoule).toBeCloseTo(0.126582, 6);
  });
});
