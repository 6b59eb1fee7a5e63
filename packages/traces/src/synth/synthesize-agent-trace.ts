import type { SessionTurn, WorkflowSpec } from '@oicf/core';
import type { AgentTraceHeader, AgentTurnRecord } from '../readers/agent-format.js';
import { TraceError } from '../trace-error.js';
import { createSeededRandom, mixSeed, sampleExponential } from './seeded-random.js';
import { BlockIdAllocator, SessionBlocks } from './session-blocks.js';

/** The workflow session generator: `simulateSession` of @oicf/core, passed in so tests can fake it. */
export type SessionSimulator = (workflow: WorkflowSpec, seed: number, numTurns?: number) => readonly SessionTurn[];

export interface SynthesizeOptions {
  readonly workflow: WorkflowSpec;
  readonly simulateSession: SessionSimulator;
  readonly numSessions: number;
  /** Any integer; the same seed gives the same trace byte for byte. */
  readonly seed: number;
  /** Rate of the Poisson process of session starts. */
  readonly sessionsPerSecond: number;
  /** Tokens per block id. Default 512 (Mooncake's block size, so stats compare). */
  readonly blockTokens?: number;
  /** Turns per session; default: the workflow's numTurns range. */
  readonly numTurns?: number;
  /**
   * Assumed decode pace used only to place later turns on the open-loop timeline:
   * arrival(k) = arrival(k−1) + outputTokens(k−1) × secondsPerOutputToken + gap(k).
   * Default 0.02 (50 tokens/s). A closed-loop replay uses the real completion instead.
   */
  readonly secondsPerOutputToken?: number;
  /** Provenance for the header, e.g. the command line. */
  readonly createdBy?: string;
}

export interface SynthesizedTrace {
  readonly header: Omit<AgentTraceHeader, 'type' | 'format' | 'version'>;
  /** Sorted by arrival (ties: session index, then turn). */
  readonly turns: readonly AgentTurnRecord[];
}

export const DEFAULT_SYNTH_BLOCK_TOKENS = 512;
export const DEFAULT_SECONDS_PER_OUTPUT_TOKEN = 0.02;

/**
 * Agent sessions in the native format. Session i starts at the i-th event of a seeded Poisson
 * process and its turns come from `simulateSession(workflow, mixSeed(seed, i), numTurns)`, so
 * session i does not depend on how many sessions are made. Each turn's prompt is the previous
 * prompt + previous output + new tokens (SessionTurn: contextTokensBefore − numDroppedTokens +
 * numNewInputTokens, the prompt core's trajectory() prefills), and its block ids reuse the earlier
 * turns' full blocks (see SessionBlocks) unless the turn dropped tokens from the front.
 */
export function synthesizeAgentTrace(options: SynthesizeOptions): SynthesizedTrace {
  const blockTokens = options.blockTokens ?? DEFAULT_SYNTH_BLOCK_TOKENS;
  const secondsPerOutputToken = options.secondsPerOutputToken ?? DEFAULT_SECONDS_PER_OUTPUT_TOKEN;
  checkOptions(options, blockTokens, secondsPerOutputToken);
  const { workflow } = options;
  const allocator = new BlockIdAllocator();
  const numSharedBlocks = options.numSessions > 0 ? Math.floor(workflow.systemPromptTokens / blockTokens) : 0;
  const sharedIds = Array.from({ length: numSharedBlocks }, () => allocator.allocate());
  const arrivals = createSeededRandom(options.seed);
  const rows: { turn: AgentTurnRecord; sessionIndex: number }[] = [];
  let startSeconds = 0;
  for (let i = 0; i < options.numSessions; i++) {
    startSeconds += sampleExponential(arrivals, options.sessionsPerSecond);
    const sessionId = `${workflow.id}-${String(i).padStart(4, '0')}`;
    const turns = options.simulateSession(workflow, mixSeed(options.seed, i), options.numTurns);
    const blocks = new SessionBlocks(allocator, sharedIds, blockTokens);
    let arrivalSeconds = startSeconds;
    let previous: SessionTurn | undefined;
    for (const [k, t] of turns.entries()) {
      if (previous !== undefined) {
        arrivalSeconds += previous.numOutputTokens * secondsPerOutputToken + t.gapSecondsBefore;
      }
      // As in @oicf/core's trajectory(): a turn's dropped tokens leave before its prefill, so the
      // prompt is the kept context + new input, and a drop means nothing earlier is a prefix.
      if (t.numDroppedTokens > 0) blocks.restart();
      const inputTokens = t.contextTokensBefore - t.numDroppedTokens + t.numNewInputTokens;
      const turn: AgentTurnRecord = {
        type: 'turn',
        sessionId,
        turnIndex: k,
        workflow: workflow.id,
        arrivalSeconds: roundMicros(arrivalSeconds),
        inputTokens,
        newTokens: t.numNewInputTokens,
        outputTokens: t.numOutputTokens,
        ...(k > 0 ? { gapAfterPreviousSeconds: roundMicros(t.gapSecondsBefore) } : {}),
        numScreenshots: t.numScreenshots,
        blockHashes: blocks.idsFor(inputTokens),
      };
      rows.push({ turn, sessionIndex: i });
      previous = t;
    }
  }
  rows.sort(
    (a, b) =>
      a.turn.arrivalSeconds - b.turn.arrivalSeconds ||
      a.sessionIndex - b.sessionIndex ||
      a.turn.turnIndex - b.turn.turnIndex,
  );
  return {
    header: {
      blockTokens,
      ...(options.createdBy !== undefined ? { createdBy: options.createdBy } : {}),
      workflow: workflow.id,
      seed: options.seed,
      numSessions: options.numSessions,
      params: {
        sessionsPerSecond: options.sessionsPerSecond,
        secondsPerOutputToken,
        ...(options.numTurns !== undefined ? { numTurns: options.numTurns } : {}),
        workflow,
      },
    },
    turns: rows.map((r) => r.turn),
  };
}

/** Microsecond resolution keeps files short and output byte-stable across platforms. */
function roundMicros(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

function checkOptions(options: SynthesizeOptions, blockTokens: number, secondsPerOutputToken: number): void {
  const bad: string[] = [];
  if (!(Number.isInteger(options.numSessions) && options.numSessions >= 0)) {
    bad.push(`numSessions must be an integer ≥ 0, got ${options.numSessions}`);
  }
  if (!Number.isSafeInteger(options.seed)) bad.push(`seed must be an integer, got ${options.seed}`);
  if (!(Number.isFinite(options.sessionsPerSecond) && options.sessionsPerSecond > 0)) {
    bad.push(`sessionsPerSecond must be a number > 0, got ${options.sessionsPerSecond}`);
  }
  if (!(Number.isInteger(blockTokens) && blockTokens >= 1))
    bad.push(`blockTokens must be an integer ≥ 1, got ${blockTokens}`);
  if (options.numTurns !== undefined && !(Number.isInteger(options.numTurns) && options.numTurns >= 1)) {
    bad.push(`numTurns must be an integer ≥ 1, got ${options.numTurns}`);
  }
  if (!(Number.isFinite(secondsPerOutputToken) && secondsPerOutputToken >= 0)) {
    bad.push(`secondsPerOutputToken must be a number ≥ 0, got ${secondsPerOutputToken}`);
  }
  if (bad.length > 0) throw new TraceError('invalid-argument', `synthesize: ${bad.join('; ')}`);
}
