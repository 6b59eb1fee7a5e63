import { describe, expect, it } from 'vitest';
import { readTraceText } from '../readers/read-trace.js';
import { agentSmall, mooncakeSmall } from '../testing/fixtures.js';
import { groupBySession } from './group-by-session.js';

describe('groupBySession', () => {
  it('groups the native fixture by session, in start order, turns in order', () => {
    const result = readTraceText(agentSmall());
    if (!result.ok) throw result.error;
    // Reverse the input so grouping cannot rely on file order.
    const groups = groupBySession([...result.requests].reverse());
    expect(groups.map((g) => [g.sessionId, g.startSeconds, g.isSingleton, g.requests.map((r) => r.turnIndex)])).toEqual(
      [
        ['a', 0, false, [0, 1, 2]],
        ['b', 1, false, [0, 1]],
      ],
    );
    expect(groups[0]?.requests.map((r) => r.gapAfterPreviousSeconds)).toEqual([undefined, 1.5, 3]);
  });

  it('makes one-turn sessions of requests without a session, ties in input order', () => {
    const result = readTraceText(mooncakeSmall());
    if (!result.ok) throw result.error;
    const groups = groupBySession(result.requests);
    expect(groups.map((g) => [g.sessionId, g.startSeconds, g.isSingleton, g.requests.length])).toEqual([
      ['req-0', 0, true, 1],
      ['req-1', 0, true, 1],
      ['req-2', 3, true, 1],
      ['req-3', 3, true, 1],
      ['req-4', 6, true, 1],
      ['req-5', 9, true, 1],
    ]);
  });
});
