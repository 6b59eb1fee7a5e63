import { describe, expect, it } from 'vitest';
import { LruPolicy } from './lru.js';
import { apply, entry, LOWER_TIER, type Op, victims } from './policy-test-helpers.js';

describe('LruPolicy', () => {
  it.each<[string, Op[], string[], (string | undefined)[]]>([
    [
      'insertion order without hits',
      [
        ['insert', 'a'],
        ['insert', 'b'],
        ['insert', 'c'],
      ],
      [],
      ['a', 'b', 'c', undefined],
    ],
    [
      'a touch makes a block most recent',
      [
        ['insert', 'a'],
        ['insert', 'b'],
        ['insert', 'c'],
        ['touch', 'a'],
      ],
      [],
      ['b', 'c', 'a'],
    ],
    [
      'touching an unknown key is ignored',
      [
        ['insert', 'a'],
        ['touch', 'zz'],
        ['insert', 'b'],
      ],
      [],
      ['a', 'b'],
    ],
    [
      'pinned blocks are skipped',
      [
        ['insert', 'a'],
        ['insert', 'b'],
        ['insert', 'c'],
      ],
      ['a', 'c'],
      ['b', undefined],
    ],
  ])('%s', (_name, ops, pinned, expected) => {
    const lru = new LruPolicy();
    apply(lru, ops);
    expect(victims(lru, expected.length, pinned)).toEqual(expected);
  });

  it('forgets removed blocks and demotes only when a lower tier exists', () => {
    const lru = new LruPolicy();
    lru.insert(entry('a'));
    lru.insert(entry('b'));
    expect(lru.remove('a')).toBe(true);
    expect(lru.remove('a')).toBe(false);
    expect(lru.numBlocks).toBe(1);
    expect(lru.victim(() => true, 0, LOWER_TIER)).toEqual({ entry: entry('b'), demote: true });
    lru.insert(entry('c'));
    expect(lru.victim(() => true, 0, undefined)).toEqual({ entry: entry('c'), demote: false });
  });
});
