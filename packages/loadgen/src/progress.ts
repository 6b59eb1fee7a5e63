import { formatSeconds } from '@oicf/plot';
import type { Clock } from '@oicf/transport';
import type { DriverProgress } from './driver.js';

/**
 * Live progress on stderr: on a terminal a bar redrawn in place (at most every 0.25 s), otherwise
 * one line every `lineIntervalSeconds` (default 5), so CI logs stay readable. Shows completed of
 * total, in flight, waiting for a slot, median TTFT so far and output tokens per second.
 */
export interface ProgressOptions {
  readonly write: (text: string) => void;
  readonly isTty: boolean;
  readonly clock: Clock;
  readonly label?: string;
  readonly lineIntervalSeconds?: number;
  /** When the replay started on `clock` (default: when the reporter is made); the elapsed time counts from it. */
  readonly startSeconds?: number;
}

const TTY_INTERVAL_SECONDS = 0.25;
const BAR_WIDTH = 24;

export class ProgressReporter {
  private latest: DriverProgress | undefined;
  private lastDrawSeconds = Number.NEGATIVE_INFINITY;
  private drewBar = false;
  private readonly startSeconds: number;

  constructor(private readonly options: ProgressOptions) {
    this.startSeconds = options.startSeconds ?? options.clock.nowSeconds();
  }

  /** New state from the driver; drawn when the interval has passed. */
  update(progress: DriverProgress): void {
    this.latest = progress;
    this.tick();
  }

  /** Draws the latest state if due (call periodically so quiet stretches still report). */
  tick(): void {
    const now = this.options.clock.nowSeconds();
    const interval = this.options.isTty ? TTY_INTERVAL_SECONDS : (this.options.lineIntervalSeconds ?? 5);
    if (this.latest === undefined || now - this.lastDrawSeconds < interval) return;
    this.lastDrawSeconds = now;
    this.draw(this.latest);
  }

  /** Draws the final state and ends the bar's line. */
  finish(): void {
    if (this.latest !== undefined) this.draw(this.latest);
    if (this.drewBar) this.options.write('\n');
    this.drewBar = false;
  }

  private draw(latest: DriverProgress): void {
    // The driver reports when something happens; in a quiet stretch its last state is redrawn, with the
    // time that has passed since (so the elapsed time and tok/s keep moving).
    const elapsedSeconds = Math.max(latest.elapsedSeconds, this.options.clock.nowSeconds() - this.startSeconds);
    const p = { ...latest, elapsedSeconds };
    const prefix = this.options.label ? `${this.options.label}: ` : '';
    if (this.options.isTty) {
      this.options.write(`\r${prefix}${formatProgressBar(p)}\u001b[K`);
      this.drewBar = true;
    } else {
      this.options.write(`${prefix}${formatProgressLine(p)}\n`);
    }
  }
}

/** `[#########...............]  12/30  in flight 3  waiting 1  TTFT p50 120 ms  85.2 tok/s  4.1 s  ETA 6.2 s` */
export function formatProgressBar(p: DriverProgress): string {
  const fraction = p.numPlanned === 0 ? 1 : p.numFinished / p.numPlanned;
  const filled = Math.min(BAR_WIDTH, Math.round(fraction * BAR_WIDTH));
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  return `${bar}  ${p.numFinished}/${p.numPlanned}  in flight ${p.numInFlight}  waiting ${p.numWaitingForSlot}  ${stats(p)}`;
}

/** `replay 12/30 done (ok 10, rejected 1, errors 1), in flight 3, waiting 1, TTFT p50 120 ms, 85.2 tok/s, 4.1 s, ETA 6.2 s` */
export function formatProgressLine(p: DriverProgress): string {
  return `replay ${p.numFinished}/${p.numPlanned} done (ok ${p.numOk}, rejected ${p.numRejected}, errors ${p.numErrors}), in flight ${p.numInFlight}, waiting ${p.numWaitingForSlot}, ${stats(p).replace(/ {2}/g, ', ')}`;
}

function stats(p: DriverProgress): string {
  const ttft = p.ttftP50Seconds === null ? 'n/a' : formatSeconds(p.ttftP50Seconds);
  const rate = p.elapsedSeconds > 0 ? (p.numOutputTokens / p.elapsedSeconds).toFixed(1) : '0.0';
  return `TTFT p50 ${ttft}  ${rate} tok/s  ${formatSeconds(p.elapsedSeconds)}${eta(p)}`;
}

/**
 * Time left at the pace so far: remaining requests × elapsed ÷ finished (a linear estimate; an open-loop
 * replay paced by its trace ends when its trace does). `n/a` before the first finish, nothing once done.
 */
function eta(p: DriverProgress): string {
  if (p.numFinished >= p.numPlanned) return '';
  if (p.numFinished === 0 || p.elapsedSeconds <= 0) return '  ETA n/a';
  return `  ETA ${formatSeconds(((p.numPlanned - p.numFinished) * p.elapsedSeconds) / p.numFinished)}`;
}
