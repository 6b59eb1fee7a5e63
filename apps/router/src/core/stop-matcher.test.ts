import { describe, expect, it } from 'vitest';
import { StopMatcher } from './stop-matcher.js';

/** Feeds `pieces` and returns what was released per piece, whether it stopped, and the flushed tail. */
function run(stops: string[], pieces: string[]) {
  const m = new StopMatcher(stops);
  const out = pieces.map((p) => m.push(p));
  const tail = m.end();
  return { released: out.map((o) => o.text), stoppedAt: out.findIndex((o) => o.stopped), tail };
}

describe('StopMatcher', () => {
  it.each([
    // name, stops, pieces, released per piece, index of the stopping piece (-1: none), flushed tail
    ['no stops: a pass-through', [], ['ab', 'c'], ['ab', 'c'], -1, ''],
    ['a stop inside one piece: text before it only', ['END'], ['abENDcd'], ['ab'], 0, ''],
    ['a stop at the very start', ['x'], ['xyz'], [''], 0, ''],
    // "Us" could begin "User:", so it is held until the next piece shows it does not.
    ['a held prefix that turns out not to stop', ['User:'], ['hi Us', 'ed it'], ['hi ', 'Used it'], -1, ''],
    ['a stop split over three pieces', ['User:'], ['ok\nU', 'se', 'r: more'], ['ok\n', '', ''], 2, ''],
    ['a stop split one character per piece', ['abc'], ['a', 'b', 'c', 'd'], ['', '', '', ''], 2, ''],
    ['a held prefix at the end is flushed as output', ['</s>'], ['done</'], ['done'], -1, '</'],
    // Several stops: the earliest start in the text wins, whichever is listed first.
    ['the earliest of several stops wins', ['zz', 'b'], ['aabzz'], ['aa'], 0, ''],
    // "xaa" holds "aa"; with "ab" the text is "xaaab", where "aab" starts at 2: "xa" is the output.
    ['overlapping candidates: "aab" after "aa" held', ['aab'], ['xaa', 'ab'], ['x', 'a'], 1, ''],
    // A newline stop (a common agent stop) and a multi-code-unit character in the stop string.
    ['a newline stop', ['\n'], ['line one', '\nline two'], ['line one', ''], 1, ''],
    ['a stop containing an emoji', ['🙂!'], ['ok 🙂', '! bye'], ['ok ', ''], 1, ''],
    ['after a stop every piece is empty', ['.'], ['a.', 'b', 'c'], ['a', '', ''], 0, ''],
  ])('%s', (_name, stops, pieces, released, stoppedAt, tail) => {
    expect(run(stops, pieces)).toEqual({ released, stoppedAt, tail });
  });

  it('never releases a character that later turns out to start a stop string (every split of the text)', () => {
    // For every way of cutting "say hello### world" into two pieces, the output is "say hello".
    const text = 'say hello### world';
    for (let cut = 0; cut <= text.length; cut++) {
      const r = run(['###'], [text.slice(0, cut), text.slice(cut)]);
      expect(r.released.join('') + r.tail).toBe('say hello');
      expect(r.stoppedAt).toBeGreaterThanOrEqual(0);
    }
  });
});
