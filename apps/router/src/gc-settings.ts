// The router's V8 heap setting (round 8, issue 11: what set the router's p99). Measured under the router
// bench at 1,000 requests/s (apps/router/bench/results/router-tail-r8.md): with V8's default allocation-site
// pretenuring, some of the request path's allocation sites get tenured (their objects are made in the old
// generation from then on). Those objects die within the request (≈ 0.3 ms) but the old generation is only
// collected by a mark-compact, so until then they hold the young objects they point to: every scavenge
// copied ≈ 480 KB of such dead-but-referenced objects and promoted as much (2.5–7 ms per scavenge, 2–3
// scavenges a second, and a mark-compact every ≈ 2.6 s for the promoted garbage). Without pretenuring a
// scavenge keeps 5–17 KB and takes 0.6–1.3 ms. The router's live state is small and made at start-up, so
// tenuring buys it nothing.
//
// The router turns pretenuring off for itself when it starts (gc-settings-apply.ts, imported first by
// main.ts), unless the node command line or NODE_OPTIONS already says either way
// (`--allocation-site-pretenuring` keeps V8's default).

/** The flag the router sets. */
export const NO_PRETENURING = '--no-allocation-site-pretenuring';

const PRETENURING = /^--(no-)?allocation[-_]site[-_]pretenuring(=|$)/;

/**
 * The V8 flags the router should set, given the node command line's flags (`process.execArgv`) and the
 * NODE_OPTIONS value: none when either already names allocation-site pretenuring, else NO_PRETENURING.
 */
export function routerV8Flags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  return given.some((a) => PRETENURING.test(a)) ? [] : [NO_PRETENURING];
}
