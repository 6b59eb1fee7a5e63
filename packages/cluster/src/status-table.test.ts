import { describe, expect, it } from 'vitest';
import { bytes, workersTable } from './status-table.js';

describe('workersTable', () => {
  it('one row per worker, columns padded, missing load shown as -', () => {
    const body = {
      object: 'list',
      data: [
        {
          worker_id: 'decode-0',
          role: 'decode',
          healthy: true,
          capacity: { kv_capacity_bytes: 268_435_456, max_batch: 16, max_context_tokens: 8192 },
          // 1,572,864 B = 1.5 × 1,048,576 → "1.5 MiB"; 268,435,456 B = 256 MiB.
          load: {
            num_running_sequences: 3,
            num_waiting_sequences: 1,
            kv_used_bytes: 1_572_864,
            kv_capacity_bytes: 268_435_456,
          },
        },
        { worker_id: 'prefill-0', role: 'prefill', healthy: false, capacity: { kv_capacity_bytes: 0 }, load: null },
      ],
      pool: null,
    };
    expect(workersTable(body)).toBe(
      [
        'worker     role     healthy  running/waiting  KV used/capacity',
        'decode-0   decode   yes      3/1              1.5 MiB/256.0 MiB',
        'prefill-0  prefill  no       -                -/0 B',
        '',
      ].join('\n'),
    );
  });

  it('says so when the router answered nothing usable or has no workers', () => {
    expect(workersTable(undefined)).toBe('router workers: (unavailable)\n');
    expect(workersTable({ data: [] })).toBe('router workers: none registered\n');
  });

  it('bytes: below 1 KiB in bytes, else binary units with one decimal', () => {
    expect(bytes(1023)).toBe('1023 B');
    expect(bytes(1024)).toBe('1.0 KiB');
    expect(bytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
