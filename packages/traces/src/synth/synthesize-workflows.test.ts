import { type RangeSpec, simulateSession, WORKFLOWS, type WorkflowSpec } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import type { AgentTurnRecord } from '../readers/agent-format.js';
import { formatAgentTrace } from './format-agent-trace.js';
import { synthesizeAgentTrace } from './synthesize-agent-trace.js';

// The catalog workflows of @oicf/core through the real simulateSession: the trace must follow the
// workflow's parameters turn by turn.
const BLOCK_TOKENS = 512;
const synth = (workflow: WorkflowSpec, seed: number, numSessions = 30) =>
  synthesizeAgentTrace({
    workflow,
    simulateSession,
    numSessions,
    seed,
    sessionsPerSecond: 0.1,
    blockTokens: BLOCK_TOKENS,
  });

function sessions(turns: readonly AgentTurnRecord[]): AgentTurnRecord[][] {
  const map = new Map<string, AgentTurnRecord[]>();
  for (const t of turns) map.set(t.sessionId, [...(map.get(t.sessionId) ?? []), t]);
  return [...map.values()];
}
const inRange = (value: number, range: RangeSpec) => value >= range.min && value <= range.max;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.each(WORKFLOWS.map((w) => [w.id, w] as const))('synthesized %s trace', (_id, workflow) => {
  const trace = synth(workflow, 1);
  const bySession = sessions(trace.turns);
  const { userTokensPerTurn: user, toolOutputTokensPerTurn: tool, numScreenshotsPerTurn: shots } = workflow;
  const perScreenshot = workflow.tokensPerScreenshot;
  const newMin = user.min + tool.min + shots.min * perScreenshot;
  const newMax = user.max + tool.max + shots.max * perScreenshot;

  it('has the workflow turn count, output, gap and screenshot ranges', () => {
    expect(bySession).toHaveLength(30);
    for (const turns of bySession) {
      expect(inRange(turns.length, workflow.numTurns)).toBe(true);
      for (const t of turns) {
        expect(inRange(t.outputTokens, workflow.outputTokensPerTurn)).toBe(true);
        expect(inRange(t.numScreenshots ?? -1, shots)).toBe(true);
        if (t.turnIndex > 0) expect(inRange(t.gapAfterPreviousSeconds ?? -1, workflow.gapSeconds)).toBe(true);
      }
    }
  });

  it('turn 0 carries the system prompt, later turns add user + tool + screenshot tokens', () => {
    for (const turns of bySession) {
      const [first, ...rest] = turns as [AgentTurnRecord, ...AgentTurnRecord[]];
      expect(first.newTokens).toBe(first.inputTokens);
      expect(first.inputTokens).toBeGreaterThanOrEqual(workflow.systemPromptTokens + newMin);
      expect(first.inputTokens).toBeLessThanOrEqual(workflow.systemPromptTokens + newMax);
      for (const t of rest)
        expect(inRange(t.newTokens ?? -1, { min: newMin, max: newMax, distribution: 'uniform' })).toBe(true);
    }
  });

  it('grows each prompt by previous output + new tokens, reusing the previous full blocks', () => {
    let numGrowing = 0;
    for (const turns of bySession) {
      for (let k = 1; k < turns.length; k++) {
        const prev = turns[k - 1] as AgentTurnRecord;
        const t = turns[k] as AgentTurnRecord;
        const grown = prev.inputTokens + prev.outputTokens + (t.newTokens ?? 0);
        const numPrevFull = Math.floor(prev.inputTokens / BLOCK_TOKENS);
        if (t.inputTokens === grown) {
          numGrowing++;
          expect(t.blockHashes?.slice(0, numPrevFull)).toEqual(prev.blockHashes?.slice(0, numPrevFull));
        } else {
          // The context hit maxContextTokens: the front was dropped, prompt + output fit the cap,
          // and no block is shared with the previous turn.
          expect(t.inputTokens).toBeLessThan(grown);
          expect(t.inputTokens + t.outputTokens).toBeLessThanOrEqual(workflow.maxContextTokens);
          expect(t.blockHashes?.[0]).not.toEqual(prev.blockHashes?.[0]);
        }
        expect(t.blockHashes).toHaveLength(Math.ceil(t.inputTokens / BLOCK_TOKENS));
      }
    }
    expect(numGrowing).toBeGreaterThan(0);
  });

  it('shares the system prompt blocks across sessions', () => {
    const numShared = Math.floor(workflow.systemPromptTokens / BLOCK_TOKENS);
    const heads = new Set(bySession.map((turns) => JSON.stringify(turns[0]?.blockHashes?.slice(0, numShared))));
    expect(heads.size).toBe(1);
    // Past the shared blocks, turn-0 prompts of different sessions differ.
    const next = new Set(bySession.map((turns) => turns[0]?.blockHashes?.[numShared]));
    expect(next.size).toBe(bySession.length);
  });

  it('is byte-identical per seed and differs across seeds', () => {
    expect(formatAgentTrace(synth(workflow, 1))).toBe(formatAgentTrace(trace));
    expect(formatAgentTrace(synth(workflow, 2))).not.toBe(formatAgentTrace(trace));
  });
});

describe('synthesized growth against the workflow means', () => {
  const coding = WORKFLOWS.find((w) => w.id === 'coding') as WorkflowSpec;
  const computerUse = WORKFLOWS.find((w) => w.id === 'computer-use') as WorkflowSpec;

  it('coding: ~4,350 new tokens per turn, context ≈ 1.25e5 tokens after a session', () => {
    const bySession = sessions(synth(coding, 1, 50).turns);
    // Tool output log-uniform 200–20,000: mean (20000 − 200)/ln(100) = 4,299.6; user uniform 0–100: 50.
    const newTokens = bySession.flatMap((turns) => turns.slice(1).map((t) => t.newTokens ?? 0));
    expect(mean(newTokens) / 4349.6).toBeGreaterThan(0.9);
    expect(mean(newTokens) / 4349.6).toBeLessThan(1.1);
    // Final prompt of a 25-turn session ≈ 6,000 + 25 × 4,349.6 + 24 × mean output (1500 − 50)/ln(30)
    // = 6,000 + 108,740 + 24 × 426.3 ≈ 124,971 (turns uniform 20–30, mean 25; cap 1e6 never reached).
    const finalPrompts = bySession.map((turns) => turns.at(-1)?.inputTokens ?? 0);
    expect(mean(finalPrompts) / 124_971).toBeGreaterThan(0.85);
    expect(mean(finalPrompts) / 124_971).toBeLessThan(1.15);
  });

  it('computer use: one 1,365-token screenshot per turn plus 0–200 text tokens', () => {
    const bySession = sessions(synth(computerUse, 1, 20).turns);
    const later = bySession.flatMap((turns) => turns.slice(1));
    expect(later.every((t) => t.numScreenshots === 1)).toBe(true);
    // Mean 1,365 + 100 = 1,465 (uniform text tokens: sd 58, so the sample mean is within ±1 %).
    expect(mean(later.map((t) => t.newTokens ?? 0)) / 1465).toBeCloseTo(1, 1);
  });
});
