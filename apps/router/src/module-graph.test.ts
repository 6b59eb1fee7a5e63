// The router never loads onnxruntime (issue 11): its module graph, as the service build resolves it from
// apps/router/src/main.ts (every workspace module bundled, every package import resolved the way Node
// resolves it), names no onnxruntime package. The decode worker's graph, built the same way, does: so the
// check can see the package when it is there.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

interface ServiceBuild {
  REPO_ROOT: string;
  SERVICE_ENTRIES: Record<string, string>;
  serviceBuildOptions(outDir: string, entries: Record<string, string>): Parameters<typeof build>[0];
}

/** Every module of `app`'s graph: bundled sources and the package files it imports. */
async function moduleGraph(app: string): Promise<string[]> {
  const root = join(import.meta.dirname, '..', '..', '..');
  const b = (await import(pathToFileURL(join(root, 'scripts', 'build-services.mjs')).href)) as ServiceBuild;
  const entries = { [app]: b.SERVICE_ENTRIES[app] as string };
  const result = await build({
    ...b.serviceBuildOptions(join(b.REPO_ROOT, 'dist', 'graph-test'), entries),
    write: false,
  });
  const meta = result.metafile as {
    inputs: Record<string, unknown>;
    outputs: Record<string, { imports: { path: string }[] }>;
  };
  const imports = Object.values(meta.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return [...Object.keys(meta.inputs), ...imports];
}

describe('module graph', () => {
  it('the router imports no onnxruntime package; the decode worker does', async () => {
    const router = await moduleGraph('router');
    expect(router.some((p) => p.includes('apps/router/src/main.ts'))).toBe(true);
    expect(router.filter((p) => /onnxruntime/.test(p))).toEqual([]);
    const decode = await moduleGraph('decode-worker');
    expect(decode.some((p) => /onnxruntime-node/.test(p))).toBe(true);
  }, 60_000);
});
