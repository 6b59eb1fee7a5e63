import { cellText, columnAlign, type TableData } from '@oicf/plot';

/**
 * A TableData (the same value the HTML report renders) as aligned plain text:
 * header, a rule of dashes, then rows; columns separated by two spaces,
 * numeric columns right-aligned. Widths count code points, so "µs" and "÷"
 * line up like ASCII.
 */
export function renderTextTable(table: TableData): string {
  const header = table.columns.map((c) => c.header);
  const body = table.rows.map((row) => row.map(cellText));
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((row) => width(row[i] ?? ''))));
  const aligns = table.columns.map((_, i) => columnAlign(table, i));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, aligns[i] ?? 'left'))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  if (table.caption) out.unshift(table.caption);
  return `${out.join('\n')}\n`;
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(text)));
  return align === 'right' ? fill + text : text + fill;
}
