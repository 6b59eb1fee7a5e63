// Queueing bounds for the screen. A stable pool of c servers is taken as M/M/c with the mean service time
// (Erlang C): its waiting-time tail P(W > t) = C(c, a)·e^{−(c/s − λ)t} is a conservative stand-in for the
// deterministic service of prefill (M/D/c waits are shorter, about half at high load). An overloaded pool
// (ρ ≥ 1) over a run of D seconds is a fluid bound: the backlog grows at (ρ − 1) per unit time, so a request
// arriving at t waits about (ρ − 1)·t, and the share arriving early enough to wait at most w is w ÷ ((ρ − 1)·D).

/** Erlang C: probability an arrival waits, for c servers and offered load a = λ·s Erlangs (a < c). */
export function erlangC(c: number, a: number): number {
  if (a <= 0) return 0;
  if (a >= c) return 1;
  // Erlang B by recursion (stable), then C = B ÷ (1 − (a/c)(1 − B)).
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b / (1 - (a / c) * (1 - b));
}

/** A pool of `servers` serving `arrivalsPerSecond` with mean service `serviceSeconds`, over a run of `runSeconds`. */
export interface Pool {
  readonly servers: number;
  readonly arrivalsPerSecond: number;
  readonly serviceSeconds: number;
  readonly runSeconds: number;
}

export function utilization(p: Pool): number {
  return p.servers > 0 ? (p.arrivalsPerSecond * p.serviceSeconds) / p.servers : Number.POSITIVE_INFINITY;
}

/** P(wait ≤ t) in the pool: the M/M/c tail when stable, the fluid share when overloaded. */
export function waitWithin(p: Pool, t: number): number {
  if (t < 0) return 0;
  const rho = utilization(p);
  if (!Number.isFinite(rho)) return 0;
  if (rho >= 1) return Math.min(1, t / ((rho - 1) * p.runSeconds));
  const a = p.arrivalsPerSecond * p.serviceSeconds;
  const wait = erlangC(p.servers, a);
  const drain = p.servers / p.serviceSeconds - p.arrivalsPerSecond;
  return 1 - wait * Math.exp(-drain * t);
}

/** A request class: its share of arrivals and the time it takes once it leaves the queue. */
export interface RequestClass {
  readonly share: number;
  readonly fixedSeconds: number;
}

/** Share of requests whose wait + fixed time stays within `slo`. */
export function attainmentWithin(p: Pool, classes: readonly RequestClass[], slo: number): number {
  let met = 0;
  for (const c of classes) met += c.share * waitWithin(p, slo - c.fixedSeconds);
  return met;
}

/** The q-quantile of wait + fixed time over the classes (bisection on the mixture's CDF). */
export function quantileOf(p: Pool, classes: readonly RequestClass[], q: number): number {
  const cdf = (t: number) => attainmentWithin(p, classes, t);
  let hi = 1;
  for (let i = 0; i < 60 && cdf(hi) < q; i++) hi *= 2;
  if (cdf(hi) < q) return Number.POSITIVE_INFINITY;
  let lo = 0;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) >= q) hi = mid;
    else lo = mid;
  }
  return hi;
}
