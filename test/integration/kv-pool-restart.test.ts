// Multi-process: the kv-pool as a real process (127.0.0.1, port 0) with a disk tier. Blocks are
// written over the WebSocket data plane, the process is SIGKILLed (no graceful shutdown), and a
// new process on the same data directory must serve every block back, verified, after
// rebuilding its index from the files. A byte flipped in one file while the pool is down must
// turn that block into a counted miss, never wrong bytes.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { connectKvPool } from '@oicf/pool-client';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const MAIN = join(ROOT, 'apps/kv-pool/src/main.ts');
const NUM_BLOCKS = 12;
const BLOCK_BYTES = 96 * 1024;

const ids = chainBlockIds(Array.from({ length: NUM_BLOCKS * 64 }, (_, i) => (i * 13 + 5) % 256));
const payloadOf = (i: number) => Uint8Array.from({ length: BLOCK_BYTES }, (_, j) => (i * 31 + j * 7) & 0xff);

const children: ChildProcess[] = [];
let dataDir = '';

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

/** Starts main.ts with a disk tier on `dir`; resolves with the endpoints it prints. */
async function startPool(dir: string): Promise<{ child: ChildProcess; ws: string; grpc: string; http: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      '--tiers.disk.capacityBytes=67108864',
      `--tiers.disk.dataDir=${dir}`,
      '--policy.name=lru',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kv-pool did not start within 30 s: ${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`kv-pool exited with ${code} before listening: ${stderr}`)));
    lines.on('line', (line) => {
      const event = JSON.parse(line) as { event: string; endpoints?: { ws: string; grpc: string; http: string } };
      if (event.event !== 'listening' || event.endpoints === undefined) return;
      clearTimeout(timer);
      resolve({ child, ...event.endpoints });
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('kv-pool restart', () => {
  it('serves every block back, verified, after SIGKILL and restart; a flipped byte is a counted miss', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kvpool-restart-'));
    const first = await startPool(dataDir);
    const client = await connectKvPool(first);
    await client.putMany(
      ids.map((blockId, i) => ({ blockId, parentId: i === 0 ? '' : ids[i - 1], payload: payloadOf(i), numTokens: 64 })),
      4,
    );
    await client.close();
    await kill(first.child);

    // While the pool is down, damage block 5's file inside its payload (the header is 64 bytes).
    const damaged = ids[5] as string;
    const path = join(dataDir, 'blocks', damaged.slice(0, 2), `${damaged}.okvb`);
    const bytes = await readFile(path);
    bytes[64 + 1000] = (bytes[64 + 1000] as number) ^ 0x10;
    await writeFile(path, bytes);

    const second = await startPool(dataDir);
    const again = await connectKvPool(second);
    const lookup = await again.control.lookup(ids);
    expect(lookup.numCachedBlocks).toBe(NUM_BLOCKS); // the damage is only found when the block is read
    expect(new Set(lookup.blocks.map((b) => b.tier))).toEqual(new Set(['disk']));

    const got = await again.get(ids);
    expect(got.failed.map((f) => [f.blockId, (f.error as { code: string }).code])).toEqual([
      [damaged, 'CHECKSUM_MISMATCH'],
    ]);
    expect(got.blocks.size).toBe(NUM_BLOCKS - 1);
    for (const [i, blockId] of ids.entries()) {
      if (blockId === damaged) continue;
      const payload = got.blocks.get(blockId) as Uint8Array;
      expect([blockId, blockChecksum(payload), payload.length]).toEqual([
        blockId,
        blockChecksum(payloadOf(i)),
        BLOCK_BYTES,
      ]);
    }
    const stats = await again.control.stats();
    expect(stats.tiers).toMatchObject([{ tier: 'disk', numBlocks: NUM_BLOCKS - 1, numChecksumFailures: 1 }]);
    const metrics = await (await fetch(`${second.http}/metrics`)).text();
    expect(metrics).toMatch(/oicf_kvpool_checksum_failed_blocks_total\{where="disk",component="kvpool"\} 1/);
    await again.close();
    await kill(second.child);
  });
});
