import { describe, expect, it } from 'vitest';
import { planFetch } from './fetch-plan.js';

const IDS = ['a0', 'a1', 'a2', 'a3'];
const ref = (i: number, id = IDS[i] as string, n = 4) => ({ blockId: id, firstToken: i * 4, numTokens: n });
const pool = { wsAddress: 'ws://pool', leaseId: 'L1', blocks: [ref(0), ref(1), ref(2)] };
const peer = { wsAddress: 'ws://peer', leaseId: '', blocks: [ref(2), ref(3)] };

describe('planFetch', () => {
  it.each([
    [
      'all from the pool, then the rest from a peer',
      [pool, peer],
      0,
      4,
      [
        ['ws://pool', 'a0 a1 a2'],
        ['ws://peer', 'a3'],
      ],
    ],
    [
      'start after a local prefix of 2 blocks',
      [pool, peer],
      2,
      4,
      [
        ['ws://pool', 'a2'],
        ['ws://peer', 'a3'],
      ],
    ],
    ['capped below the last block', [pool, peer], 0, 2, [['ws://pool', 'a0 a1']]],
    ['a gap ends the plan', [{ ...pool, blocks: [ref(0), ref(2)] }], 0, 4, [['ws://pool', 'a0']]],
    [
      'a wrong id is not fetched (identity) and ends the plan',
      [{ ...pool, blocks: [ref(0), ref(1, 'zz')] }],
      0,
      4,
      [['ws://pool', 'a0']],
    ],
    ['a short block is not fetched', [{ ...pool, blocks: [ref(0, 'a0', 3)] }], 0, 4, []],
    ['nothing offered', [], 0, 4, []],
  ] as const)('%s', (_name, sources, from, to, expected) => {
    const plans = planFetch(sources, IDS, 4, from, to);
    expect(plans.map((p) => [p.wsAddress, p.blocks.map((b) => b.blockId).join(' ')])).toEqual(expected);
  });

  it('keeps each holder’s lease and the blocks’ token positions', () => {
    expect(planFetch([pool], IDS, 4, 1, 3)).toEqual([
      {
        wsAddress: 'ws://pool',
        leaseId: 'L1',
        blocks: [
          { blockId: 'a1', firstToken: 4, numTokens: 4 },
          { blockId: 'a2', firstToken: 8, numTokens: 4 },
        ],
      },
    ]);
  });
});
