// One fuzzed property: `base` cases in CI (× OICF_FUZZ_SCALE in scripts/fuzz.mjs), each checked by
// `check` (which throws for a crash or an unclear error, and HungError for a case left unanswered). Reports
// its counts (fuzz-budget.ts) and fails with fast-check's shrunk counterexample.
import fc from 'fast-check';
import { HungError, numRuns, report, seed } from './fuzz-budget.js';

export async function fuzzProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  base: number,
  check: (value: T) => void | Promise<void>,
): Promise<void> {
  const runs = numRuns(base);
  let hung = 0;
  let failures = 0;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      try {
        await check(value);
      } catch (err) {
        if (err instanceof HungError) hung++;
        else failures++;
        throw err;
      }
    }),
    { numRuns: runs, ...(seed() === undefined ? {} : { seed: seed() }), endOnFailure: true },
  );
  report(name, details.numRuns, { failures: details.failed ? Math.max(1, failures) : 0, hung });
  if (details.failed) throw new Error(`${name}: ${fc.defaultReportMessage(details)}`);
}
