import { MOONCAKE_BLOCK_TOKENS, type TraceRequest } from '../types.js';
import { parseJsonLine, requireBlockHashes, requireInteger, requireNumber } from './field-checks.js';
import { cleanLine, guard, type LineParser } from './line-parser.js';

/**
 * Mooncake FAST'25 JSONL: `{"timestamp": ms, "input_length": n, "output_length": n, "hash_ids": [...]}`.
 * Each hash id covers 512 tokens (the last may be partial) and its whole prefix, so
 * len(hash_ids) must equal ceil(input_length / 512); both fields are checked against each other.
 * Unknown extra fields are ignored. requestId is `req-<0-based data row>`.
 */
export function createMooncakeParser(): LineParser {
  let numDataRows = 0;
  return {
    format: 'mooncake',
    parse(raw) {
      const line = cleanLine(raw);
      if (line.trim() === '') return { kind: 'ignored' };
      const rowIndex = numDataRows++;
      return guard(() => {
        const obj = parseJsonLine(line);
        const timestampMs = requireNumber(obj, 'timestamp', 0);
        const inputTokens = requireInteger(obj, 'input_length', 1);
        const outputTokens = requireInteger(obj, 'output_length', 0);
        const blockHashes = requireBlockHashes(
          obj.hash_ids,
          'hash_ids',
          inputTokens,
          'input_length',
          MOONCAKE_BLOCK_TOKENS,
          false,
        );
        const request: TraceRequest = {
          requestId: `req-${rowIndex}`,
          arrivalSeconds: timestampMs / 1000,
          inputTokens,
          outputTokens,
          blockHashes,
          blockTokens: MOONCAKE_BLOCK_TOKENS,
        };
        return { kind: 'request', request };
      });
    },
  };
}
