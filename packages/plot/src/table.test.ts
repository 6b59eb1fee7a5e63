import { describe, expect, it } from 'vitest';
import { cellText, columnAlign, renderTableHtml } from './table.js';

describe('renderTableHtml', () => {
  const table = {
    caption: 'KV <bytes>',
    columns: [{ header: 'model' }, { header: 'KV bytes/token' }, { header: 'note', align: 'right' as const }],
    rows: [
      ['Llama-3.1-70B', 327_680, 'GQA 8 & 64'],
      ['DeepSeek-V3', 70_272, 'MLA'],
    ],
  };

  it('aligns numeric columns right, escapes text and prints integers in full', () => {
    expect(columnAlign(table, 0)).toBe('left');
    expect(columnAlign(table, 1)).toBe('right');
    expect(columnAlign(table, 2)).toBe('right');
    const html = renderTableHtml(table);
    expect(html).toContain('<caption>KV &lt;bytes&gt;</caption>');
    expect(html).toContain('<th scope="col" class="right">KV bytes/token</th>');
    expect(html).toContain(
      '<td class="left">Llama-3.1-70B</td><td class="right">327,680</td><td class="right">GQA 8 &amp; 64</td>',
    );
  });

  it.each([
    [327_680, '327,680'],
    [0.123456, '0.1235'],
    [295.2239, '295.2'],
    ['7 GiB', '7 GiB'],
  ])('cell %j → %s', (cell, text) => {
    expect(cellText(cell)).toBe(text);
  });

  it('rejects ragged rows', () => {
    expect(() => renderTableHtml({ columns: [{ header: 'a' }], rows: [['x', 'y']] })).toThrow(
      'table row 0 has 2 cells but there are 1 columns',
    );
  });
});
