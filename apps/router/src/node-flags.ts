/**
 * V8 flags the router process runs with, set where it is started by default: the cluster launcher
 * (`packages/cluster/src/launcher.ts`, APP_NODE_FLAGS), `deploy/compose/compose.yaml` and
 * `deploy/kubernetes/base/router.yaml` (`node <flags> scripts/run-service.mjs router …`); the router latency
 * bench starts the router of the build it measures with that build's list (apps/router/bench).
 *
 * Why (apps/router/bench/results/router-tail-r8.md, measured at 1,000 routed requests/s):
 * - `--no-allocation-site-pretenuring`: with V8's default, allocation sites of the request path get tenured;
 *   the request's objects then die in the old generation, and until a mark-compact finds them dead the
 *   scavenger copies and promotes what they point to: ≈ 480 KB per scavenge, 2.7–3.9 ms pauses ≈ 3 times a
 *   second. Off: 6–17 KB survive, pauses 0.6–1.3 ms, no mark-compacts under steady load.
 * - `--min-semi-space-size=32 --max-semi-space-size=32` (MiB): the router allocates ≈ 30–38 KB per routed
 *   request, so V8's default 16 MiB semi-space fills ≈ 2.4 times a second at 1,000/s; 32 MiB halves the number
 *   of scavenges (≈ 1.2 a second) while what survives one stays small (it is not a live set: measured 6–17 KB
 *   at 16 MiB, 16–70 KB at 64 MiB). Fixed from the start (min = max) so V8 does not begin at 1 MiB and scavenge
 *   often while it grows. Costs up to 2 × 32 MiB of young-generation memory once both semi-spaces are touched.
 */
export const ROUTER_NODE_FLAGS: readonly string[] = [
  '--no-allocation-site-pretenuring',
  '--min-semi-space-size=32',
  '--max-semi-space-size=32',
];
