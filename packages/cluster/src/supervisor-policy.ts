// When the supervisor restarts a crashed service (pure; time comes in as seconds):
//
//   delay before restart n of a run = min(maxSeconds, initialSeconds · factor^(n−1))
//   a run of restarts ends when the service stayed up `resetAfterSeconds` (the next crash is n = 1 again)
//   more than maxRestarts restarts within windowSeconds → give up (the service is marked failed)
//
// Defaults 0.5 s, ×2, at most 15 s; reset after 60 s up; at most 10 restarts in 120 s (systemd's
// StartLimitBurst idea): a service that cannot stay up stops burning the machine's two cores.

export interface RestartPolicy {
  readonly initialSeconds: number;
  readonly factor: number;
  readonly maxSeconds: number;
  readonly resetAfterSeconds: number;
  readonly maxRestarts: number;
  readonly windowSeconds: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialSeconds: 0.5,
  factor: 2,
  maxSeconds: 15,
  resetAfterSeconds: 60,
  maxRestarts: 10,
  windowSeconds: 120,
};

/** What the supervisor remembers of one service's restarts. */
export interface RestartHistory {
  /** When each restart was started, oldest first (seconds, the supervisor's clock). */
  readonly restartsAtSeconds: readonly number[];
  /** When the current process was started (its last restart, or the launch). */
  readonly upSinceSeconds: number;
}

export type RestartDecision =
  | { readonly kind: 'restart'; readonly afterSeconds: number; readonly attempt: number }
  | { readonly kind: 'give-up'; readonly reason: string };

export function decideRestart(
  history: RestartHistory,
  crashedAtSeconds: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const recent = history.restartsAtSeconds.filter((t) => crashedAtSeconds - t < policy.windowSeconds);
  if (recent.length >= policy.maxRestarts) {
    return {
      kind: 'give-up',
      reason: `${recent.length} restarts within ${policy.windowSeconds} s (the limit is ${policy.maxRestarts}): the service cannot stay up; see its log`,
    };
  }
  // The run of consecutive quick crashes: restarts after which the service did not stay up resetAfterSeconds.
  const stayedUp = crashedAtSeconds - history.upSinceSeconds >= policy.resetAfterSeconds;
  let attempt = 1;
  if (!stayedUp) {
    const times = history.restartsAtSeconds;
    attempt = 1;
    for (let i = times.length - 1; i >= 0; i--) {
      const next = i + 1 < times.length ? (times[i + 1] as number) : crashedAtSeconds;
      if (next - (times[i] as number) >= policy.resetAfterSeconds) break;
      attempt++;
    }
  }
  const afterSeconds = Math.min(policy.maxSeconds, policy.initialSeconds * policy.factor ** (attempt - 1));
  return { kind: 'restart', afterSeconds, attempt };
}
