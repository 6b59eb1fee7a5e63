import { describe, expect, it } from 'vitest';
import { worker } from '../testing-fixtures.js';
import { type DecodeMigrationInput, decideDecodeMigration } from './decode-migration.js';

// 1,000 prompt + 100 max tokens at 1,000 B per token need 1.1 MB of KV on the new worker.
const workers = [
  worker('d0'), // the one that died
  worker('d1', { numRunning: 8 }), // load 8 / 16 = 0.5
  worker('d2', { numRunning: 2, numWaiting: 2 }), // 4 / 16 = 0.25
  worker('d3', { kvBytesUsed: 1e9 - 1e6 }), // idle but only 1 MB free < 1.1 MB
  worker('d4', { healthy: false }),
  worker('p0', { role: 'prefill' }),
];
const base: DecodeMigrationInput = {
  migrations: 0,
  maxMigrations: 3,
  code: 'UNAVAILABLE',
  clientGone: false,
  workers,
  failed: new Set(['d0']),
  numPromptTokens: 1000,
  maxTokens: 100,
  kvBytesPerToken: 1000,
};

describe('decideDecodeMigration', () => {
  it('migrates to the least loaded healthy decode worker with room, never back to a failed one', () => {
    // d0 failed, d3 too full, d4 unhealthy, p0 prefill-only: d2 (0.25) before d1 (0.5).
    expect(decideDecodeMigration(base)).toEqual({ kind: 'migrate', decodeWorkerId: 'd2' });
    expect(decideDecodeMigration({ ...base, failed: new Set(['d0', 'd2']), migrations: 1 })).toEqual({
      kind: 'migrate',
      decodeWorkerId: 'd1',
    });
  });

  it('stops at the limit, and 0 turns migration off', () => {
    expect(decideDecodeMigration({ ...base, migrations: 3 })).toEqual({
      kind: 'fail',
      reason: 'the request was already migrated 3 time(s), the limit (decodeMaxMigrations)',
    });
    expect(decideDecodeMigration({ ...base, maxMigrations: 0 })).toMatchObject({ kind: 'fail', reason: /off/ });
  });

  it.each([
    [{ clientGone: true }, /client went away/],
    [{ code: 'INVALID_ARGUMENT' }, /INVALID_ARGUMENT is not a lost worker/],
    [{ code: 'DEADLINE_EXCEEDED' }, /not a lost worker/],
    [{ failed: new Set(['d0', 'd1', 'd2']) }, /no other healthy decode worker has room/],
  ])('fails when %j', (over, reason) => {
    expect(decideDecodeMigration({ ...base, ...over })).toMatchObject({ kind: 'fail', reason });
  });
});
