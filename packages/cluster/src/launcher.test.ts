import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_MAIN, REPO_ROOT, RUN_SERVICE } from './launcher.js';

describe('launcher paths', () => {
  it('REPO_ROOT is the workspace root and every app entry point exists under it', () => {
    // The launcher spawns `node <REPO_ROOT>/scripts/run-service.mjs <app>`, which runs the build of
    // <REPO_ROOT>/<APP_MAIN[app]>; a wrong root fails every launch.
    expect(existsSync(join(REPO_ROOT, 'pnpm-workspace.yaml'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, RUN_SERVICE))).toBe(true);
    for (const main of Object.values(APP_MAIN)) expect(existsSync(join(REPO_ROOT, main)), main).toBe(true);
  });

  it('builds exactly the apps it launches, from the same entry points', async () => {
    const build = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'build-services.mjs')).href)) as {
      SERVICE_ENTRIES: Record<string, string>;
    };
    expect(build.SERVICE_ENTRIES).toEqual(APP_MAIN);
  });
});
