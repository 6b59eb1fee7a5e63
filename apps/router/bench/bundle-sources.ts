// Which source file a line of an esbuild bundle came from, by the bundle's `// <path>` markers (perf-parts.ts and
// perf-functions.ts attribute perf samples of the router's bundle to its source files with it).
import { readFileSync } from 'node:fs';

/** A bundle's markers: whether it has any, and the source path of a 1-based bundle line (undefined before the first). */
export interface BundleSources {
  readonly any: boolean;
  of(line: number): string | undefined;
}

/** Reads `bundle`'s markers once (none when no bundle is given). */
export function bundleSources(bundle: string | undefined): BundleSources {
  const markLines: number[] = [];
  const markNames: string[] = [];
  if (bundle !== undefined) {
    readFileSync(bundle, 'utf8')
      .split('\n')
      .forEach((l, i) => {
        const m = /^\/\/ ((?:packages|apps|node_modules)\/\S+)$/.exec(l);
        if (m !== null) {
          markLines.push(i + 1);
          markNames.push(m[1] as string);
        }
      });
  }
  const of = (line: number): string | undefined => {
    let lo = 0;
    let hi = markLines.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((markLines[mid] as number) <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : markNames[found];
  };
  return { any: markLines.length > 0, of };
}
