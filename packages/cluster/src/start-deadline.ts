import type { ServiceEndpoints } from './cluster-state.js';

/** Why a service start stopped waiting: no log output for the timeout, or still logging at the hard cap. */
export type StartGiveUp = 'silent' | 'capped';

/**
 * When to stop waiting for a starting service. The timeout counts from the service's latest log output, not from its
 * launch: a decode worker building every batch size's graphs logs each one, and on a loaded machine may need longer
 * than the timeout to listen. A service that keeps logging is still given up on at `capFactor` × the timeout.
 */
export class StartDeadline {
  private lastLength = 0;
  private silentSince: number;
  private readonly cap: number;

  constructor(
    private readonly timeoutSeconds: number,
    startedAtSeconds: number,
    private readonly capFactor = 10,
  ) {
    if (!(timeoutSeconds > 0)) throw new RangeError(`start timeout must be > 0 s, got ${timeoutSeconds}`);
    this.silentSince = startedAtSeconds;
    this.cap = startedAtSeconds + capFactor * timeoutSeconds;
  }

  /** The log's length (bytes) at `nowSeconds`; undefined while waiting is still worth it, else why it is not. */
  check(logLength: number, nowSeconds: number): StartGiveUp | undefined {
    if (logLength > this.lastLength) {
      this.lastLength = logLength;
      this.silentSince = nowSeconds;
    }
    if (nowSeconds >= this.cap) return 'capped';
    if (nowSeconds - this.silentSince >= this.timeoutSeconds) return 'silent';
    return undefined;
  }

  /** The error text for `name` giving up for `why`. */
  message(name: string, why: StartGiveUp): string {
    return why === 'silent'
      ? `${name} did not listen: no log output for ${this.timeoutSeconds} s`
      : `${name} was still logging but did not listen within ${this.capFactor * this.timeoutSeconds} s`;
  }
}

/** The parsed JSON log lines of `text` that contain `marker` (a cheap filter before parsing; partial lines skipped). */
function* logRecords(text: string, marker: string): Generator<Record<string, unknown>> {
  for (const line of text.split('\n')) {
    if (!line.startsWith('{') || !line.includes(marker)) continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch {
      // a partial line: read again
    }
  }
}

/** The endpoints of the first `{"event":"listening",…}` line in a service's JSON log text, if any. */
export function listeningEndpoints(text: string): ServiceEndpoints | undefined {
  for (const rec of logRecords(text, '"listening"')) {
    const endpoints = rec.endpoints as ServiceEndpoints | undefined;
    if (rec.event === 'listening' && endpoints?.http) return endpoints;
  }
  return undefined;
}

/**
 * The latest "decode graphs built" progress line in a starting decode worker's JSON log text (`{"msg":"decode graphs
 * built","batch":5,"of":16}`), as "5/16"; undefined when there is none.
 */
export function graphBuildProgress(text: string): string | undefined {
  let latest: string | undefined;
  for (const rec of logRecords(text, '"decode graphs built"')) {
    if (rec.msg === 'decode graphs built' && typeof rec.batch === 'number' && typeof rec.of === 'number') {
      latest = `${rec.batch}/${rec.of}`;
    }
  }
  return latest;
}
