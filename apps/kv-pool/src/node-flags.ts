/**
 * V8 flags the kv-pool process should run with (`node <flags> --import tsx apps/kv-pool/src/main.ts`;
 * the package's `start` script and the bench pass them).
 *
 * `--initial-old-space-size=128` (MiB): V8 counts ArrayBuffer bytes allocated since the last full GC
 * against the old generation's allocation limit, and for a small JS heap (the pool's is ≈ 20 MB) that
 * limit is ≈ 30–40 MB. A pool that keeps every received block as its own buffer therefore ran a full
 * mark-compact about every 20 MB of blocks stored: ≈ 25 per 512 MiB put, a quarter of the server's
 * CPU, most of it concurrent marking that also takes the other core. With a 128 MiB floor only V8's
 * separate 64 MiB external-memory trigger remains (≈ 8 per 512 MiB), and server CPU per byte put
 * fell ≈ 25 % (apps/kv-pool/bench, `KVPOOL_BENCH_SYSTEMS=pool`). Costs at most ≈ 128 MB of JS
 * garbage held between collections.
 */
export const KV_POOL_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];
