import { describe, expect, it } from 'vitest';
import { renderTextTable } from './text-table.js';

describe('renderTextTable', () => {
  it('aligns text left and numbers right, two spaces apart, with a rule under the header', () => {
    const text = renderTextTable({
      columns: [{ header: 'model' }, { header: 'KV B/token' }, { header: 'step' }],
      rows: [
        ['llama-3.1-70b', 327_680, '41.9 ms'],
        ['deepseek-v3', 70_272, '5 µs'],
      ],
    });
    expect(text).toBe(
      [
        'model          KV B/token  step',
        '-------------  ----------  -------',
        'llama-3.1-70b     327,680  41.9 ms',
        'deepseek-v3        70,272  5 µs',
        '',
      ].join('\n'),
    );
  });
  it('prints the caption first and handles no rows', () => {
    expect(renderTextTable({ caption: 'empty', columns: [{ header: 'a' }], rows: [] })).toBe('empty\na\n-\n');
  });
});
