/**
 * RFC 4180 CSV: comma-separated, CRLF-free (LF line ends, which every CSV
 * reader accepts), fields quoted only when they hold a comma, quote or line
 * break, quotes doubled. Numbers are written in full precision (String(n));
 * non-finite numbers become empty fields.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return `${[header, ...rows].map((row) => row.map(field).join(',')).join('\n')}\n`;
}

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
