import { escapeXml } from './escape.js';
import { formatNumber } from './format.js';

/**
 * Tabular data that goes with a chart (the numbers behind it) or stands alone
 * in a report. Cells are strings (already formatted, with units) or numbers
 * (integers printed in full with thousands separators, others with four
 * significant digits).
 */
export type TableCell = string | number;

export interface TableColumn {
  readonly header: string;
  /** Default: right for columns whose cells are all numbers, left otherwise. */
  readonly align?: 'left' | 'right';
}

export interface TableData {
  readonly columns: readonly TableColumn[];
  readonly rows: ReadonlyArray<readonly TableCell[]>;
  readonly caption?: string;
}

/** Cell text as shown: integers in full ("327,680"), other numbers with four significant digits, strings unchanged. */
export function cellText(cell: TableCell): string {
  if (typeof cell === 'string') return cell;
  if (Number.isInteger(cell) && Math.abs(cell) < 1e15) return cell.toLocaleString('en-US');
  return formatNumber(cell, 4);
}

/** Alignment for column `index`: the declared one, else right when every cell is a number. */
export function columnAlign(table: TableData, index: number): 'left' | 'right' {
  const declared = table.columns[index]?.align;
  if (declared) return declared;
  const numeric = table.rows.length > 0 && table.rows.every((r) => typeof r[index] === 'number');
  return numeric ? 'right' : 'left';
}

/** An HTML `<table>`; throws if a row has a different number of cells than there are columns. */
export function renderTableHtml(table: TableData): string {
  table.rows.forEach((row, i) => {
    if (row.length !== table.columns.length) {
      throw new RangeError(`table row ${i} has ${row.length} cells but there are ${table.columns.length} columns`);
    }
  });
  const aligns = table.columns.map((_, i) => columnAlign(table, i));
  const head = table.columns.map((c, i) => `<th scope="col" class="${aligns[i]}">${escapeXml(c.header)}</th>`).join('');
  const body = table.rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => `<td class="${aligns[i]}">${escapeXml(cellText(cell))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const caption = table.caption ? `<caption>${escapeXml(table.caption)}</caption>` : '';
  return `<table class="data">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}
