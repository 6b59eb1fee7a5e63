// The fuzz budget: each property runs `base` cases in CI (a few seconds in all), × OICF_FUZZ_SCALE when
// scripts/fuzz.mjs runs them for real (≥ 10⁵ cases). With OICF_FUZZ_REPORT set, every property appends one
// JSON line {property, numRuns, failures, hung} there, which the script sums into its figures.
import { appendFileSync } from 'node:fs';

export function numRuns(base: number): number {
  const scale = Number(process.env.OICF_FUZZ_SCALE ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** fast-check's seed: OICF_FUZZ_SEED when set (to replay a run), else fast-check's own. */
export function seed(): number | undefined {
  const s = process.env.OICF_FUZZ_SEED;
  return s === undefined ? undefined : Number(s);
}

export interface FuzzCounts {
  /** Cases that broke the property (a crash, an unclear error, a wrong status). */
  failures: number;
  /** Cases with no answer within their deadline. */
  hung: number;
}

export function report(property: string, runs: number, counts: FuzzCounts): void {
  const file = process.env.OICF_FUZZ_REPORT;
  if (file === undefined || file === '') return;
  appendFileSync(file, `${JSON.stringify({ property, numRuns: runs, ...counts })}\n`);
}

/** A case with no answer within its deadline. */
export class HungError extends Error {
  override readonly name = 'HungError';
}

/** Rejects with HungError when `work` does not settle within `seconds`. */
export async function within<T>(seconds: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HungError(`${what}: no answer within ${seconds} s`)), seconds * 1000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
