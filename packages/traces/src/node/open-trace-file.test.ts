import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openTraceFile } from './open-trace-file.js';
import { fixturesDir } from './shared-traces.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-open-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'conversations'));
const gz = gzipSync(readFileSync(join(fixturesDir(), 'copilot-small.jsonl')));
writeFileSync(join(dir, 'bad.jsonl.gz'), Buffer.concat([gz.subarray(0, 40), Buffer.alloc(40, 0x55)]));

describe('openTraceFile', () => {
  it('reads a file named relative to cwd, and names it as given', async () => {
    const opened = await openTraceFile('mooncake-small.jsonl', fixturesDir());
    expect(opened.ok && opened.path).toBe(join(fixturesDir(), 'mooncake-small.jsonl'));
    expect(opened.ok && opened.result.ok && opened.result.requests.length).toBe(6);
  });

  it.each([
    ['missing.jsonl', 'ENOENT', "cannot read 'missing.jsonl' (ENOENT)"],
    [
      'conversations',
      'EISDIR',
      'cannot read \'conversations\' (EISDIR): it is a directory; concatenate its trace files one per line (for f in conversations/*.json; do cat "$f"; echo; done > all.jsonl) and read that',
    ],
  ])('%s → %s with what to do', async (file, errno, message) => {
    expect(await openTraceFile(file, dir)).toEqual({ ok: false, errno, message });
  });

  it('says a corrupt gzip stream is corrupt', async () => {
    const opened = await openTraceFile('bad.jsonl.gz', dir);
    expect(opened.ok).toBe(false);
    expect(opened.ok ? '' : opened.message).toMatch(/^cannot read 'bad\.jsonl\.gz': its gzip stream is corrupt \(Z_/);
  });
});
