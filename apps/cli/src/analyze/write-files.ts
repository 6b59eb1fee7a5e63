import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ReportFile } from './report.js';

/** Writes the report files into `dir` (created if missing, relative to cwd); returns the paths as given to the user. */
export function writeReportFiles(cwd: string, dir: string, files: readonly ReportFile[]): string[] {
  const absolute = resolve(cwd, dir);
  mkdirSync(absolute, { recursive: true });
  return files.map((file) => {
    const path = join(absolute, file.name);
    writeFileSync(path, file.content, 'utf8');
    const rel = relative(cwd, path);
    return rel.startsWith('..') ? path : rel;
  });
}
