// The router's V8 heap setting (issue 11: what sets the router's p99; apps/router/bench/results/
// router-tail-r8.md and router-tail-r9.md). V8's allocation-site pretenuring decides, per object or array
// literal in the source, to make that literal's objects in the old generation once ≥ 85 % of them (at least
// 100) were found alive at a scavenge. In the router that happens once, at the first scavenge under load: a
// cold router (its code not yet optimised) has a backlog of a few hundred requests in flight, so every
// request-path literal (the plan, the route decision, the decode request, the worker's output frame, …) is
// found 100 % alive and tenured. The decision is not revisited, and it feeds itself: a request's objects now
// made in the old generation die within ≈ 0.3 ms, but only a mark-compact finds that, and until then they keep
// the young objects they point to alive, so each later scavenge again finds every such object alive (found =
// created at every scavenge) and copies and promotes ≈ 480 KB of dead request objects (2.5–7 ms pauses, 2–3 a
// second at 1,000 requests/s). Without pretenuring a scavenge keeps 5–17 KB and takes 0.6–1.3 ms. The router's
// live state is small and made at start-up, so tenuring buys it nothing.
//
// The router turns pretenuring off for itself when it starts (gc-settings-apply.ts, imported first by
// main.ts), however it is launched, unless the node command line or NODE_OPTIONS already says either way
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
