import { cellText, columnAlign, type TableData } from '@oicf/plot';

/** A GitHub-flavoured Markdown table; `|` in cells is escaped, numeric columns are right-aligned. */
export function markdownTable(table: TableData): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const header = `| ${table.columns.map((c) => cell(c.header)).join(' | ')} |`;
  const rule = `| ${table.columns.map((_c, i) => (columnAlign(table, i) === 'right' ? '---:' : '---')).join(' | ')} |`;
  const body = table.rows.map((row) => `| ${row.map((value) => cell(cellText(value))).join(' | ')} |`);
  const caption = table.caption ? `\n_${table.caption}_\n` : '';
  return `${[header, rule, ...body].join('\n')}\n${caption}`;
}
