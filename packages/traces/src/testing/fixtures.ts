import { formatAgentHeader, formatAgentTurn } from '../readers/agent-format.js';
import { copilotSmall, mooncakeSessions, wekaBad, wekaPretty, wekaSmall } from './session-fixtures.js';

export { copilotSmall, mooncakeSessions, wekaBad, wekaPretty, wekaSmall };

/**
 * The small trace fixtures under packages/traces/fixtures/, generated here so they can be
 * reproduced (`pnpm --filter @oicf/traces fixtures`) and checked for drift. Every number a test
 * asserts about them is derived by hand in that test from the values below.
 */

/**
 * Six Mooncake requests (512-token blocks). Prefix hits with an unlimited cache, by request:
 * 0, 1 ([0]), 2 ([0,1]), 1 ([0]), 3 ([0,2,3]), 0 → 7 of 15 blocks.
 */
export function mooncakeSmall(): string {
  const rows = [
    { timestamp: 0, input_length: 1000, output_length: 10, hash_ids: [0, 1] },
    { timestamp: 0, input_length: 1100, output_length: 20, hash_ids: [0, 2, 3] },
    { timestamp: 3000, input_length: 1536, output_length: 30, hash_ids: [0, 1, 4] },
    { timestamp: 3000, input_length: 512, output_length: 1, hash_ids: [0] },
    { timestamp: 6000, input_length: 2048, output_length: 40, hash_ids: [0, 2, 3, 5] },
    { timestamp: 9000, input_length: 600, output_length: 5, hash_ids: [6, 7] },
  ];
  // Mooncake's own spacing: `{"timestamp": 0, "input_length": ...}`.
  return `${rows.map((r) => JSON.stringify(r).replaceAll(':', ': ').replaceAll(',', ', ')).join('\n')}\n`;
}

/** Mooncake lines with one fault each after a good first line (line numbers in the comments). */
export function mooncakeBad(): string {
  return [
    '{"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [0, 1]}', // 1 ok
    '{"timestamp": 10, "input_length": 600, "output_length": 5, "hash_ids": [0, 1]', // 2 truncated JSON
    '{"timestamp": 20, "input_length": 1100, "output_length": 5, "hash_ids": [0, 1]}', // 3 needs 3 ids
    '', // 4 blank: ignored
    '{"timestamp": 30, "input_length": -3, "output_length": 5, "hash_ids": []}', // 5 negative input
    '{"timestamp": 40, "input_length": 100, "output_length": 5, "hash_ids": [0, "x"]}', // 6 non-integer id
    '{"timestamp": 50, "input_length": 100, "output_length": 7, "hash_ids": [9]}', // 7 ok
    '',
  ].join('\n');
}

/**
 * Azure CSV as published: CRLF line ends, 7 fractional digits, no final newline. The rows cross
 * midnight: arrivals 0, 0.2, 0.2, 1.5, 3.0 s after 2023-11-16 23:59:59.9.
 */
export function azureSmall(): string {
  return [
    'TIMESTAMP,ContextTokens,GeneratedTokens',
    '2023-11-16 23:59:59.9000000,4808,10',
    '2023-11-17 00:00:00.1000000,3180,8',
    '2023-11-17 00:00:00.1000000,110,27',
    '2023-11-17 00:00:01.4000000,7045,3',
    '2023-11-17 00:00:02.9000000,256,1',
  ].join('\r\n');
}

/** Azure rows with faults (physical line numbers: header is 1). */
export function azureBad(): string {
  return [
    'TIMESTAMP,ContextTokens,GeneratedTokens', // 1
    '2023-11-16 18:17:03.9799600,4808,10', // 2 ok
    '2023-11-16 18:17:04.0319600,3180', // 3 missing a cell
    '2023-11-16 18:17:04.9,abc,8', // 4 ContextTokens not a number
    '2023-02-30 18:17:05.0000000,10,8', // 5 impossible date
    '2023-11-16 18:17:03.0000000,10,8', // 6 before the first row
    '2023-11-16 18:17:06.0000000,10,8', // 7 ok
  ].join('\r\n');
}

/**
 * Native agent trace, blockTokens 4, two sessions of a toy workflow whose system prompt is 4
 * tokens (block 0, shared). Session a: prompts 6, 6+2+3 = 11, 11+1+5 = 17 tokens; session b: 5,
 * 5+2+4 = 11. Prefix hits with an unlimited cache in arrival order:
 *   a/0 [0,1]          → 0     (1 is a's partial block)
 *   b/0 [0,5]          → 1     (block 0 from a/0)
 *   a/1 [0,2,3]        → 1     (2 = a's first full block after the prompt; 3 partial)
 *   b/1 [0,6,7]        → 1
 *   a/2 [0,2,4,8,9]    → 2     (0, 2 cached; 4 new full block, 8 new full block, 9 partial)
 * → 5 hits of 15 blocks.
 */
export function agentSmall(): string {
  const header = formatAgentHeader({ blockTokens: 4, createdBy: 'fixture agent-small', workflow: 'toy' });
  const turns = [
    {
      sessionId: 'a',
      turnIndex: 0,
      arrivalSeconds: 0,
      inputTokens: 6,
      newTokens: 6,
      outputTokens: 2,
      blockHashes: [0, 1],
    },
    {
      sessionId: 'b',
      turnIndex: 0,
      arrivalSeconds: 1,
      inputTokens: 5,
      newTokens: 5,
      outputTokens: 2,
      blockHashes: [0, 5],
    },
    {
      sessionId: 'a',
      turnIndex: 1,
      arrivalSeconds: 2.5,
      inputTokens: 11,
      newTokens: 3,
      outputTokens: 1,
      gapAfterPreviousSeconds: 1.5,
      blockHashes: [0, 2, 3],
    },
    {
      sessionId: 'b',
      turnIndex: 1,
      arrivalSeconds: 4,
      inputTokens: 11,
      newTokens: 4,
      outputTokens: 3,
      gapAfterPreviousSeconds: 2,
      numScreenshots: 1,
      blockHashes: [0, 6, 7],
    },
    {
      sessionId: 'a',
      turnIndex: 2,
      arrivalSeconds: 6,
      inputTokens: 17,
      newTokens: 5,
      outputTokens: 4,
      gapAfterPreviousSeconds: 3,
      blockHashes: [0, 2, 4, 8, 9],
    },
  ];
  return `${[header, ...turns.map((t) => formatAgentTurn({ workflow: 'toy', ...t }))].join('\n')}\n`;
}

/** Fixture file name → generator. */
export const TRACE_FIXTURES: Readonly<Record<string, () => string>> = {
  'mooncake-small.jsonl': mooncakeSmall,
  'mooncake-bad.jsonl': mooncakeBad,
  'azure-small.csv': azureSmall,
  'azure-bad.csv': azureBad,
  'agent-small.jsonl': agentSmall,
  'mooncake-sessions.jsonl': mooncakeSessions,
  'weka-small.jsonl': wekaSmall,
  'weka-pretty.json': wekaPretty,
  'weka-bad.jsonl': wekaBad,
  'copilot-small.jsonl': copilotSmall,
};
