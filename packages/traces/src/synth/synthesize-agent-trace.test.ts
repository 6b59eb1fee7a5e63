import type { SessionTurn, WorkflowSpec } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { readTraceText } from '../readers/read-trace.js';
import { interArrivalCv } from '../stats/distribution.js';
import { computeTraceStats } from '../stats/trace-stats.js';
import { formatAgentTrace } from './format-agent-trace.js';
import { type SessionSimulator, synthesizeAgentTrace } from './synthesize-agent-trace.js';

const range = (min: number, max: number) => ({ min, max, distribution: 'uniform' as const });
const TOY: WorkflowSpec = {
  id: 'toy',
  displayName: 'Toy',
  source: 'test',
  numTurns: range(3, 3),
  systemPromptTokens: 1024,
  userTokensPerTurn: range(0, 0),
  toolOutputTokensPerTurn: range(0, 0),
  numScreenshotsPerTurn: range(0, 0),
  tokensPerScreenshot: 0,
  outputTokensPerTurn: range(0, 0),
  gapSeconds: range(0, 0),
  maxContextTokens: 100_000,
};

const turn = (index: number, before: number, input: number, output: number, gap: number, dropped = 0): SessionTurn => ({
  index,
  gapSecondsBefore: gap,
  contextTokensBefore: before,
  numUserTokens: input,
  numToolOutputTokens: 0,
  numScreenshots: 0,
  numScreenshotTokens: 0,
  numNewInputTokens: input,
  numOutputTokens: output,
  numDroppedTokens: dropped,
  contextTokensAfter: before + input + output - dropped,
});

/** Same three turns for every seed: prompts 1300, 1500 + 600 = 2100, 2200 + 100 = 2300 tokens. */
const fixedSession: SessionSimulator = () => [
  turn(0, 0, 1300, 200, 0),
  turn(1, 1500, 600, 100, 2),
  turn(2, 2200, 100, 20, 5),
];

describe('synthesizeAgentTrace with a fixed session', () => {
  const trace = synthesizeAgentTrace({
    workflow: TOY,
    simulateSession: fixedSession,
    numSessions: 2,
    seed: 7,
    sessionsPerSecond: 0.01,
    blockTokens: 512,
  });

  it('grows each prompt from the previous one and reuses its full blocks', () => {
    const bySession = (id: string) => trace.turns.filter((t) => t.sessionId === id);
    // 1024-token system prompt = shared blocks 0, 1. Session 0 allocates first:
    //   turn 0: 1300 tokens → 2 full (0, 1) + partial (2)
    //   turn 1: 2100 tokens → 4 full (0, 1, 3, 4) + partial 52 tokens (5)
    //   turn 2: 2300 tokens → the same 4 full + partial 252 tokens (6)
    // Session 1 continues the counter: 7; 8, 9, 10; 11.
    expect(
      bySession('toy-0000').map((t) => [t.turnIndex, t.inputTokens, t.newTokens, t.outputTokens, t.blockHashes]),
    ).toEqual([
      [0, 1300, 1300, 200, [0, 1, 2]],
      [1, 2100, 600, 100, [0, 1, 3, 4, 5]],
      [2, 2300, 100, 20, [0, 1, 3, 4, 6]],
    ]);
    expect(bySession('toy-0001').map((t) => t.blockHashes)).toEqual([
      [0, 1, 7],
      [0, 1, 8, 9, 10],
      [0, 1, 8, 9, 11],
    ]);
  });

  it('places turns at previous arrival + output × 0.02 s + gap', () => {
    for (const id of ['toy-0000', 'toy-0001']) {
      const [a0, a1, a2] = trace.turns.filter((t) => t.sessionId === id).map((t) => t.arrivalSeconds) as [
        number,
        number,
        number,
      ];
      // 200 × 0.02 + 2 = 6 s, then 100 × 0.02 + 5 = 7 s.
      expect(a1 - a0).toBeCloseTo(6, 5);
      expect(a2 - a1).toBeCloseTo(7, 5);
    }
    expect(trace.turns.map((t) => t.gapAfterPreviousSeconds)).toEqual(
      trace.turns.map((t) => (t.turnIndex === 0 ? undefined : t.turnIndex === 1 ? 2 : 5)),
    );
  });

  it('round-trips through the native reader, and its reuse ceiling is 14 of 26 blocks', () => {
    const result = readTraceText(formatAgentTrace(trace));
    if (!result.ok) throw result.error;
    expect(result.requests).toHaveLength(6);
    expect(result.requests.map((r) => r.arrivalSeconds)).toEqual(
      [...result.requests.map((r) => r.arrivalSeconds)].sort((a, b) => a - b),
    );
    // Blocks per session 3 + 5 + 5 = 13. First session's hits: 0, 2 (0, 1), 4 (0, 1, 3, 4) = 6;
    // the second also hits the shared 0, 1 on its turn 0: 2 + 2 + 4 = 8 → 14 of 26.
    const stats = computeTraceStats(result.requests);
    expect(stats.prefixReuse).toMatchObject({ available: true, numBlocks: 26, infinite: { numHitBlocks: 14 } });
    expect(stats.numSessions).toBe(2);
  });

  it('restarts the block chain after the agent drops the front of its context', () => {
    // Turn 1 drops 500 of its 1500 context tokens before its prefill (as core's trajectory() does):
    // prompt 1500 − 500 + 600 = 1600 tokens sharing nothing with turn 0, not even the system
    // prompt → 3 fresh full blocks + 1 partial. Turn 2 (no drop) reuses turn 1's full blocks.
    const dropping: SessionSimulator = () => [
      turn(0, 0, 1300, 200, 0),
      turn(1, 1500, 600, 100, 1, 500),
      turn(2, 1700, 100, 10, 1),
    ];
    const t = synthesizeAgentTrace({
      workflow: TOY,
      simulateSession: dropping,
      numSessions: 1,
      seed: 1,
      sessionsPerSecond: 1,
    });
    expect(t.turns.map((x) => [x.inputTokens, x.blockHashes])).toEqual([
      [1300, [0, 1, 2]],
      [1600, [3, 4, 5, 6]],
      [1800, [3, 4, 5, 7]],
    ]);
  });
});

describe('synthesizeAgentTrace determinism and arrivals', () => {
  const perSeedSession: SessionSimulator = (_w, seed) => [turn(0, 0, 1000 + (seed % 1000), 10, 0)];
  const make = (seed: number, numSessions: number) =>
    formatAgentTrace(
      synthesizeAgentTrace({ workflow: TOY, simulateSession: perSeedSession, numSessions, seed, sessionsPerSecond: 2 }),
    );

  it('is byte-identical for the same seed and differs for another', () => {
    expect(make(1, 20)).toBe(make(1, 20));
    expect(make(2, 20)).not.toBe(make(1, 20));
  });

  it('session i does not depend on the number of sessions', () => {
    const short = make(3, 5).split('\n').slice(1, 6);
    const long = make(3, 50)
      .split('\n')
      .filter((line) => /"toy-000[0-4]"/.test(line));
    expect(long).toEqual(short);
  });

  it('starts sessions as a Poisson process of the given rate', () => {
    const trace = synthesizeAgentTrace({
      workflow: TOY,
      simulateSession: perSeedSession,
      numSessions: 4000,
      seed: 11,
      sessionsPerSecond: 2,
    });
    const starts = trace.turns.map((t) => t.arrivalSeconds);
    // Mean gap 1/rate = 0.5 s (standard error 0.5/√4000 ≈ 1.6 %); exponential gaps have CV 1.
    expect((starts.at(-1) ?? 0) / starts.length).toBeCloseTo(0.5, 1);
    expect(interArrivalCv(starts)).toBeGreaterThan(0.93);
    expect(interArrivalCv(starts)).toBeLessThan(1.07);
  });

  it.each([
    [{ numSessions: -1 }, /numSessions must be an integer ≥ 0, got -1/],
    [{ seed: 1.5 }, /seed must be an integer, got 1.5/],
    [{ sessionsPerSecond: 0 }, /sessionsPerSecond must be a number > 0, got 0/],
    [
      { blockTokens: 0, numTurns: 0 },
      /blockTokens must be an integer ≥ 1, got 0; numTurns must be an integer ≥ 1, got 0/,
    ],
  ])('rejects %j listing every bad option', (bad, message) => {
    expect(() =>
      synthesizeAgentTrace({
        workflow: TOY,
        simulateSession: fixedSession,
        numSessions: 1,
        seed: 1,
        sessionsPerSecond: 1,
        ...bad,
      }),
    ).toThrow(message);
  });
});
