// The explorer's progress on stderr: a bar redrawn in place on a terminal (at most every 0.25 s), one line
// every 5 s otherwise; done of total, elapsed and a linear ETA for the current stage.
import { formatSeconds } from '@oicf/plot';
import type { Clock } from '@oicf/transport';

const BAR = 24;

export class ExploreProgress {
  private stage = '';
  private total = 0;
  private startedSeconds = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drewBar = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly isTty: boolean,
    private readonly clock: Clock,
  ) {}

  begin(stage: string, total: number): void {
    this.end();
    this.stage = stage;
    this.total = total;
    this.startedSeconds = this.clock.nowSeconds();
    this.lastDraw = Number.NEGATIVE_INFINITY;
  }

  /** `done` of the stage's total (fractions allowed: a twin run in progress). */
  update(done: number, detail = ''): void {
    const now = this.clock.nowSeconds();
    if (now - this.lastDraw < (this.isTty ? 0.25 : 5) && done < this.total) return;
    this.lastDraw = now;
    const line = formatExploreProgress(this.stage, done, this.total, now - this.startedSeconds, detail);
    if (this.isTty) {
      this.write(`\r${line}\u001b[K`);
      this.drewBar = true;
    } else this.write(`${line}\n`);
  }

  end(): void {
    if (this.drewBar) this.write('\n');
    this.drewBar = false;
  }
}

/** `screen [########......]  6,000/10,000  1.2 s  ETA 0.8 s`. */
export function formatExploreProgress(
  stage: string,
  done: number,
  total: number,
  elapsed: number,
  detail = '',
): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(f * BAR);
  const eta =
    done <= 0 ? '  ETA n/a' : done >= total ? '' : `  ETA ${formatSeconds((elapsed * (total - done)) / done)}`;
  const count = `${Math.floor(done).toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
  return `${stage} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}]  ${count}  ${formatSeconds(elapsed)}${eta}${detail ? `  ${detail}` : ''}`;
}
