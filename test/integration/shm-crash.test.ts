// Multi-process: the kv-pool keeps its dram tier in a shared-memory arena (an unlinked file under a /dev/shm
// directory of this test's own), and same-host clients move block bytes through it. Peers are killed with
// SIGKILL at the worst moments, and the region must come back clean:
//   - a writer killed between taking an arena slot and committing it: the slot returns, the block is a clean miss;
//   - a reader killed while holding extents of a get (evicted meanwhile): their bytes are freed only then;
//   - the pool killed: no process keeps its arena, /dev/shm usage returns to the baseline, a restarted pool
//     answers misses for the old blocks and serves new ones correctly.
// "Usage" is what any process still holds of the files under the test's directory: open descriptors, found by
// scanning /proc/*/fd, with their allocated bytes. The arena is an unlinked tmpfs file that every peer reads and
// writes through a descriptor (nothing maps it), and the kernel frees an unlinked file's pages exactly when its
// last descriptor closes, so 0 descriptors is "usage back to the baseline". (The tmpfs's own used bytes, from
// statfs, are not asserted: every other test and process on the machine moves them, by tens of MiB when the
// suite runs in parallel.)
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { blockChecksum, blockIdFor, ROOT_BLOCK_ID } from '@oicf/kv';
import { connectKvPool, ShmLinks, ShmStaging } from '@oicf/pool-client';
import { connectWs, OicfError } from '@oicf/transport';
import { type KvBlockPayload, sendHandoff } from '@oicf/worker';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const MiB = 1024 * 1024;
const BLOCK = 1 * MiB;
const HAS_SHM = existsSync('/dev/shm') && existsSync('/proc/self/fd');
const DIR = HAS_SHM ? mkdtempSync('/dev/shm/oicf-crash-test-') : '';
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (DIR !== '') rmSync(DIR, { recursive: true, force: true });
});

const id = (n: number) => blockIdFor(ROOT_BLOCK_ID, [7, n]);
const bytes = (n: number) => {
  const b = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i += 4096) b.fill((n * 37 + i / 4096) & 0xff, i, i + 4096);
  return b;
};

/** Bytes (allocated) of files under DIR that some process holds open, and how many descriptors. */
function heldInDir(): { numOpen: number; allocatedBytes: number } {
  const seen = new Map<string, number>();
  let numOpen = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (!target.startsWith(`${DIR}/`)) continue;
        numOpen++;
        const st = statSync(`/proc/${pid}/fd/${fd}`);
        seen.set(`${st.dev}:${st.ino}`, st.blocks * 512);
      } catch {}
    }
  }
  return { numOpen, allocatedBytes: [...seen.values()].reduce((a, b) => a + b, 0) };
}

function start(
  cmd: string[],
  ready: (line: string) => boolean,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...cmd], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr += String(c);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd[0]} not ready within 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${cmd[0]} exited (${code}): ${stderr}`)));
    lines.on('line', (line) => {
      if (!ready(line)) return;
      clearTimeout(timer);
      resolve({ child, line });
    });
  });
}

async function startPool() {
  const { child, line } = await start(
    [
      'apps/kv-pool/src/main.ts',
      '--tiers.dram.capacityBytes=33554432',
      `--shm.dir=${DIR}`,
      '--shm.stagingBytes=16777216',
      '--policy.name=lru',
    ],
    (l) => l.includes('"listening"'),
  );
  const { endpoints } = JSON.parse(line) as { endpoints: { ws: string; grpc: string; http: string } };
  return { child, ...endpoints };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function gauge(http: string, name: string): Promise<number> {
  const text = await (await fetch(`${http}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  if (m === null) throw new Error(`no ${name} in /metrics`);
  return Number(m[1]);
}

async function until(what: string, cond: () => boolean | Promise<boolean>, seconds = 10): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!HAS_SHM)('shared-memory KV survives SIGKILLed peers', () => {
  it('writer, reader and pool killed mid-transfer: nothing leaks, later reads are correct or clean misses', async () => {
    expect(heldInDir()).toEqual({ numOpen: 0, allocatedBytes: 0 });
    const pool = await startPool();
    const client = await connectKvPool(pool);
    expect(client.link.mode).toBe('shm');
    await client.putMany([0, 1, 2, 3].map((n) => ({ blockId: id(n), payload: bytes(n) })));
    // 4 × 1 MiB written into the arena: at least that much of it is allocated, in the pool and in us.
    expect(heldInDir().allocatedBytes).toBeGreaterThanOrEqual(4 * MiB);

    // 1. A writer killed with a slot half written: the slot comes back, the block was never stored.
    const writer = await start(
      ['test/integration/shm-crash-child.ts', 'put', pool.ws, pool.grpc, id(9), String(BLOCK)],
      (l) => l === 'ready',
    );
    expect(await gauge(pool.http, 'oicf_kvpool_shm_slots_bytes')).toBe(BLOCK);
    await kill(writer.child);
    await until(
      'the pool reclaims the slot',
      async () => (await gauge(pool.http, 'oicf_kvpool_shm_slots_bytes')) === 0,
    );
    expect((await client.get([id(9)])).missingBlockIds).toEqual([id(9)]);

    // 2. A reader killed while it holds 2 blocks' extents, evicted meanwhile: their bytes are freed only after.
    const usedBefore = await gauge(pool.http, 'oicf_kvpool_shm_arena_used_bytes');
    const reader = await start(
      ['test/integration/shm-crash-child.ts', 'get', pool.ws, pool.grpc, id(0), id(1)],
      (l) => l === 'ready',
    );
    expect(await gauge(pool.http, 'oicf_kvpool_shm_retained_blocks')).toBe(2);
    const evicted = await client.control.evict({ blockIds: [id(0), id(1)] });
    expect([...evicted.evictedBlockIds].sort()).toEqual([id(0), id(1)].sort());
    // Evicted from the index, but the 2 MiB stay allocated while the reader holds them.
    expect(await gauge(pool.http, 'oicf_kvpool_shm_arena_used_bytes')).toBe(usedBefore);
    await kill(reader.child);
    await until(
      'the reader’s extents are freed',
      async () => (await gauge(pool.http, 'oicf_kvpool_shm_retained_blocks')) === 0,
    );
    expect(await gauge(pool.http, 'oicf_kvpool_shm_arena_used_bytes')).toBe(usedBefore - 2 * BLOCK);
    // Later reads: evicted blocks are clean misses, the others come back intact (verified by the client).
    const after = await client.get([id(0), id(2), id(3)]);
    expect(after.missingBlockIds).toEqual([id(0)]);
    expect(after.failed).toEqual([]);
    expect(
      [2, 3].map((n) => blockChecksum(after.blocks.get(id(n)) ?? new Uint8Array()) === blockChecksum(bytes(n))),
    ).toEqual([true, true]);

    // 3. The pool killed: its arena must go with it, also out of this process (which had it open).
    await kill(pool.child);
    await until('no process holds the arena', () => heldInDir().numOpen === 0);
    await client.close();

    // A restarted pool: the old blocks are clean misses; new ones round-trip through its new arena.
    const again = await startPool();
    const c2 = await connectKvPool(again);
    expect(c2.link.mode).toBe('shm');
    const old = await c2.get([id(2), id(3)]);
    expect([old.missingBlockIds, old.failed]).toEqual([[id(2), id(3)], []]);
    await c2.put({ blockId: id(5), payload: bytes(5) });
    const fresh = await c2.get([id(5)]);
    expect(blockChecksum(fresh.blocks.get(id(5)) ?? new Uint8Array())).toBe(blockChecksum(bytes(5)));
    await c2.close();
    await kill(again.child);
    await until('nothing is held after the last pool', () => heldInDir().numOpen === 0);
    expect(readdirSync(DIR)).toEqual([]); // no file was ever left with a name
  }, 120_000);

  it('a prefill worker killed mid-handoff: the decode worker lets go of its segment and drops the partial handoff', async () => {
    const { child: decode, line } = await start(
      [
        'apps/decode-worker/src/main.ts',
        '--workerId=shm-crash-decode',
        '--role=decode',
        '--blockTokens=64',
        '--handoffTtlSeconds=1',
        '--logLevel=error',
        `--shm.dir=${DIR}`,
      ],
      (l) => l.includes('"listening"'),
    );
    const { endpoints } = JSON.parse(line) as { endpoints: { ws: string; http: string } };
    const sender = await start(
      ['test/integration/shm-crash-child.ts', 'handoff', endpoints.ws, 'req-killed', '8'],
      (l) => l === 'ready',
      { OICF_TEST_SHM_DIR: DIR },
    );
    // The decode worker copied 4 frames of 256 KiB out of the sender's segment and holds them for the Decode call.
    // "ready" means the sender handed its frames to its socket, not that the worker has read them: wait for it.
    const shmBytes = /oicf_decode_kv_path_bytes_total\{[^}]*path="shm"[^}]*\} 1048576/;
    let text = '';
    await until('the decode worker copied the 4 frames', async () => {
      text = await (await fetch(`${endpoints.http}/metrics`)).text();
      return shmBytes.test(text);
    });
    expect(text).toMatch(shmBytes);
    expect(heldInDir().numOpen).toBeGreaterThan(0);
    await kill(sender.child);
    // The sender's segment dies with it: the decode worker closes its descriptor when the connection drops…
    await until('no process holds the sender’s segment', () => heldInDir().numOpen === 0);
    // …and the unclaimed partial handoff is dropped after the handoff TTL (1 s), returning its buffers.
    await until(
      'the partial handoff expires',
      async () => (await gauge(endpoints.http, 'oicf_decode_handoff_buffered_bytes')) === 0,
    );
    await kill(decode);
    expect(readdirSync(DIR)).toEqual([]);
  }, 120_000);

  it('a decode worker killed mid-handoff: the sender gets an error, frees its extents, the next handoff is intact', async () => {
    const startDecode = async () => {
      const { child, line } = await start(
        [
          'apps/decode-worker/src/main.ts',
          '--workerId=shm-crash-decode-killed',
          '--role=decode',
          '--blockTokens=64',
          '--handoffTtlSeconds=5',
          '--logLevel=error',
          `--shm.dir=${DIR}`,
        ],
        (l) => l.includes('"listening"'),
      );
      return { child, ...(JSON.parse(line) as { endpoints: { ws: string; http: string } }).endpoints };
    };
    // This process is the prefill worker: the real sender (sendHandoff) with its own staging segment under DIR.
    const staging = new ShmStaging({ dir: DIR, dataBytes: 16 * MiB });
    const links = new ShmLinks({ enabled: true, offer: () => staging.owned() });
    const KV = 64 * 4096; // one frame: 64 tokens × 4096 B (tiny-gqa)
    const blocks: KvBlockPayload[] = Array.from({ length: 8 }, (_, i) => {
      const payload = new Uint8Array(KV).fill(i + 1);
      return { blockId: '', firstToken: i * 64, numTokens: 64, payload, checksum: blockChecksum(payload) };
    });
    const first = await startDecode();
    const client = await connectWs(first.ws);
    expect((await links.of(client)).mode).toBe('shm');
    // Stopped, the decode worker reads nothing: the 8 frames (extents only) sit in socket buffers, the sender waits
    // for the ack with all 8 blocks staged (8 × 256 KiB = 2 MiB of its segment in use).
    first.child.kill('SIGSTOP');
    const pending = sendHandoff(client, 'req-receiver-killed', blocks, { shm: { links, staging }, timeoutSeconds: 60 });
    const outcome = pending.then(
      () => 'acknowledged',
      (err: unknown) => (err instanceof OicfError ? err.code : String(err)),
    );
    await until('all 8 blocks are staged', () => staging.usedBytes === 8 * KV);
    await kill(first.child); // SIGKILL reaches a stopped process
    // The lost connection settles the call with an error (never an ack) and every extent comes back.
    expect(await outcome).toBe('UNAVAILABLE');
    expect(staging.usedBytes).toBe(0);
    // The killed worker's descriptor of the segment went with it: only this process holds it now.
    await until('only the sender holds its segment', () => heldInDir().numOpen === 1);
    await client.close();

    // A new decode worker: the same segment (its extents reused) carries a full handoff, verified by the receiver.
    const second = await startDecode();
    const c2 = await connectWs(second.ws);
    const ack = await sendHandoff(c2, 'req-after', blocks, { shm: { links, staging }, timeoutSeconds: 60 });
    expect([ack.numBlocks, Number(ack.numBytes)]).toEqual([8, 8 * KV]);
    expect(staging.usedBytes).toBe(0);
    const text = await (await fetch(`${second.http}/metrics`)).text();
    expect(text).toMatch(new RegExp(`oicf_decode_kv_path_bytes_total\\{[^}]*path="shm"[^}]*\\} ${8 * KV}\\b`));
    await c2.close();
    await kill(second.child);
    staging.close();
    await until('nothing is held after the sender closed its staging', () => heldInDir().numOpen === 0);
    expect(readdirSync(DIR)).toEqual([]);
  }, 120_000);
});
