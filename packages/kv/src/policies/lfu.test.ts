import { describe, expect, it } from 'vitest';
import { LfuPolicy } from './lfu.js';
import { apply, type Op, victims } from './policy-test-helpers.js';

describe('LfuPolicy', () => {
  it.each<[string, Op[], string[], (string | undefined)[]]>([
    [
      'lowest count first (a:3, b:2, c:1)',
      [
        ['insert', 'a'],
        ['insert', 'b'],
        ['insert', 'c'],
        ['touch', 'a'],
        ['touch', 'a'],
        ['touch', 'b'],
      ],
      [],
      ['c', 'b', 'a', undefined],
    ],
    [
      'ties go to the least recently used (b touched after a, both count 2)',
      [
        ['insert', 'a'],
        ['insert', 'b'],
        ['touch', 'b'],
        ['touch', 'a'],
      ],
      [],
      ['b', 'a'],
    ],
    [
      'a new block (count 1) goes before an older hot one',
      [
        ['insert', 'a'],
        ['touch', 'a'],
        ['insert', 'b'],
      ],
      [],
      ['b', 'a'],
    ],
    [
      'pinned blocks are skipped, across buckets',
      [
        ['insert', 'a'],
        ['insert', 'b'],
        ['touch', 'b'],
        ['insert', 'c'],
      ],
      ['a', 'c'],
      ['b', undefined],
    ],
  ])('%s', (_name, ops, pinned, expected) => {
    const lfu = new LfuPolicy();
    apply(lfu, ops);
    expect(victims(lfu, expected.length, pinned)).toEqual(expected);
  });

  it('counts hits and forgets the count when a block leaves', () => {
    const lfu = new LfuPolicy();
    apply(lfu, [
      ['insert', 'a'],
      ['touch', 'a'],
      ['touch', 'a'],
    ]);
    expect(lfu.frequencyOf('a')).toBe(3);
    lfu.remove('a');
    expect(lfu.has('a')).toBe(false);
    apply(lfu, [['insert', 'a']]);
    expect(lfu.frequencyOf('a')).toBe(1);
  });
});
