import type { TraceRequest } from '../types.js';
import { type AzureTimestamp, parseAzureTimestamp, secondsBetween } from './azure-timestamp.js';
import { checkInteger, FieldProblem, show } from './field-checks.js';
import { cleanLine, guard, type LineParser } from './line-parser.js';

const COLUMNS = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'] as const;

/**
 * Azure LLM inference trace CSV (2023/2024): header `TIMESTAMP,ContextTokens,GeneratedTokens`
 * (columns found by name, extra columns ignored), absolute timestamps. Arrival seconds are relative
 * to the first data row, so rows must not precede it (the published files are sorted). CRLF line
 * ends and a missing final newline are fine. No prefix or session information.
 */
export function createAzureParser(): LineParser {
  let columnIndex: Record<(typeof COLUMNS)[number], number> | undefined;
  let numColumns = 0;
  let origin: AzureTimestamp | undefined;
  let originText = '';
  let numDataRows = 0;
  return {
    format: 'azure',
    parse(raw) {
      const line = cleanLine(raw);
      if (line.trim() === '') return { kind: 'ignored' };
      return guard(() => {
        const cells = line.split(',').map((c) => c.trim());
        if (columnIndex === undefined) {
          columnIndex = readHeader(cells);
          numColumns = cells.length;
          return { kind: 'ignored' };
        }
        const rowIndex = numDataRows++;
        if (cells.length !== numColumns) {
          throw new FieldProblem(
            undefined,
            `expected ${numColumns} comma-separated cells, got ${cells.length}`,
            'invalid-line',
          );
        }
        const stampText = cells[columnIndex.TIMESTAMP] ?? '';
        const stamp = parseAzureTimestamp(stampText);
        if (stamp === undefined) {
          throw new FieldProblem('TIMESTAMP', `must be 'YYYY-MM-DD HH:MM:SS.fffffff', got ${show(stampText)}`);
        }
        const inputTokens = checkInteger(parseCount(cells[columnIndex.ContextTokens]), 'ContextTokens', 1);
        const outputTokens = checkInteger(parseCount(cells[columnIndex.GeneratedTokens]), 'GeneratedTokens', 0);
        if (origin === undefined) {
          origin = stamp;
          originText = stampText;
        }
        const arrivalSeconds = secondsBetween(stamp, origin);
        if (arrivalSeconds < 0) {
          throw new FieldProblem(
            'TIMESTAMP',
            `${stampText} is before the first row (${originText}); rows must be in time order`,
          );
        }
        const request: TraceRequest = { requestId: `req-${rowIndex}`, arrivalSeconds, inputTokens, outputTokens };
        return { kind: 'request', request };
      });
    },
  };
}

function readHeader(cells: string[]): Record<(typeof COLUMNS)[number], number> {
  const index = {} as Record<(typeof COLUMNS)[number], number>;
  for (const name of COLUMNS) {
    const at = cells.findIndex((c) => c.toLowerCase() === name.toLowerCase());
    if (at < 0) {
      throw new FieldProblem(
        name,
        `header must name the columns ${COLUMNS.join(',')}; got '${cells.join(',')}'`,
        'invalid-header',
      );
    }
    index[name] = at;
  }
  return index;
}

/** Decimal digits only; anything else is returned as text so the error shows it. */
function parseCount(cell: string | undefined): unknown {
  if (cell === undefined) return undefined;
  return /^\d+$/.test(cell) ? Number(cell) : cell;
}
