import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { createPrng } from '../prng.js';
import type { WorkflowSpec } from '../types.js';
import { getWorkflow, WORKFLOW_IDS, WORKFLOWS } from './catalog.js';
import { sampleRange, simulateSession } from './simulate-session.js';

const workflow = (id: string) => unwrap(getWorkflow(id));

describe('simulateSession', () => {
  it.each(WORKFLOW_IDS)('%s is deterministic per seed and differs across seeds', (id) => {
    const spec = workflow(id);
    expect(simulateSession(spec, 7)).toEqual(simulateSession(spec, 7));
    expect(simulateSession(spec, 7, 12)).not.toEqual(simulateSession(spec, 8, 12));
  });

  it('a PRNG passed in is advanced, so two sessions from one stream differ', () => {
    const prng = createPrng(3);
    const first = simulateSession(workflow('coding'), prng, 5);
    const second = simulateSession(workflow('coding'), prng, 5);
    expect(first).not.toEqual(second);
  });

  it('giving numTurns does not change the turns drawn (prefix property)', () => {
    const long = simulateSession(workflow('web-use'), 11, 30);
    expect(simulateSession(workflow('web-use'), 11, 5)).toEqual(long.slice(0, 5));
  });

  it.each(WORKFLOWS.map((w) => [w.id, w] as const))('%s respects its ranges and accounts every token', (_id, spec) => {
    const turns = simulateSession(spec, 5);
    expect(turns.length).toBeGreaterThanOrEqual(spec.numTurns.min);
    expect(turns.length).toBeLessThanOrEqual(spec.numTurns.max);
    let context = 0;
    for (const turn of turns) {
      expect(turn.contextTokensBefore).toBe(context);
      expect(turn.contextTokensAfter).toBe(
        turn.contextTokensBefore - turn.numDroppedTokens + turn.numNewInputTokens + turn.numOutputTokens,
      );
      expect(turn.contextTokensAfter).toBeLessThanOrEqual(spec.maxContextTokens);
      expect(turn.numOutputTokens).toBeGreaterThanOrEqual(spec.outputTokensPerTurn.min);
      expect(turn.numToolOutputTokens).toBeLessThanOrEqual(spec.toolOutputTokensPerTurn.max);
      expect(turn.numScreenshotTokens).toBe(turn.numScreenshots * spec.tokensPerScreenshot);
      // The first turn starts the session (no gap); later ones wait a tool/think gap within the range.
      if (turn.index === 0) expect(turn.gapSecondsBefore).toBe(0);
      else {
        expect(turn.gapSecondsBefore).toBeGreaterThanOrEqual(spec.gapSeconds.min);
        expect(turn.gapSecondsBefore).toBeLessThanOrEqual(spec.gapSeconds.max);
      }
      context = turn.contextTokensAfter;
    }
    // turn 0 carries the system prompt
    expect(turns[0]?.numNewInputTokens).toBe(
      spec.systemPromptTokens +
        (turns[0]?.numUserTokens ?? 0) +
        (turns[0]?.numToolOutputTokens ?? 0) +
        (turns[0]?.numScreenshotTokens ?? 0),
    );
  });

  it('computer use adds one 1,365-token screenshot per turn (1280·800/750)', () => {
    for (const turn of simulateSession(workflow('computer-use'), 2, 10)) expect(turn.numScreenshotTokens).toBe(1365);
  });

  it('coding contexts reach 1e5 tokens within 30 turns on average', () => {
    // mean tool output (20,000 − 200)/ln(100) ≈ 4,300 per turn plus ≈ 426 output → ≈ 1.4e5 after 30
    const finals = [1, 2, 3, 4, 5, 6, 7, 8].map(
      (seed) => simulateSession(workflow('coding'), seed, 30).at(-1)?.contextTokensAfter ?? 0,
    );
    const mean = finals.reduce((a, b) => a + b, 0) / finals.length;
    expect(mean).toBeGreaterThan(1e5);
    expect(mean).toBeLessThan(1e6);
  });

  it('drops the oldest tokens at the context cap', () => {
    const tight: WorkflowSpec = { ...workflow('coding'), maxContextTokens: 20_000 };
    const turns = simulateSession(tight, 1, 30);
    expect(turns.some((turn) => turn.numDroppedTokens > 0)).toBe(true);
    for (const turn of turns) expect(turn.contextTokensAfter).toBeLessThanOrEqual(20_000);
  });
});

describe('sampleRange', () => {
  it('stays inside the range and averages where the distribution says', () => {
    const prng = createPrng(42);
    const uniform = { min: 10, max: 20, distribution: 'uniform' } as const;
    const logUniform = { min: 100, max: 10_000, distribution: 'log-uniform' } as const;
    let sumUniform = 0;
    let sumLog = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const u = sampleRange(uniform, prng);
      const l = sampleRange(logUniform, prng);
      expect(Number.isInteger(u) && u >= 10 && u <= 20).toBe(true);
      expect(l >= 100 && l <= 10_000).toBe(true);
      sumUniform += u;
      sumLog += l;
    }
    // uniform integers 10..20: mean 15; log-uniform mean (10,000 − 100)/ln(100) = 2,149.8
    expect(sumUniform / n).toBeCloseTo(15, 1);
    expect(Math.abs(sumLog / n / 2149.8 - 1)).toBeLessThan(0.03);
  });
});
