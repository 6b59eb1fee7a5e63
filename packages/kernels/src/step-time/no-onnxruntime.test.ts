import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every module reachable from `entry` by relative imports, and every bare specifier they import. */
function importClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) pending.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe('@oicf/kernels/step-time', () => {
  it('loads no onnxruntime: its import closure names only pure packages', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const { files, packages } = importClosure(resolve(here, 'index.ts'));
    expect([...packages].sort()).toEqual(['@oicf/core', 'node:fs', 'node:path', 'protobufjs', 'zod']);
    // The closure reaches the graph builders and the counter (structures are counted) but no runtime/.
    expect([...files].some((f) => f.includes('/count/count-graph.ts'))).toBe(true);
    expect([...files].filter((f) => f.includes('/runtime/'))).toEqual([]);
  });
});
