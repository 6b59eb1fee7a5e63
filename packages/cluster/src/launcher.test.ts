import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_MAIN, REPO_ROOT } from './launcher.js';

describe('launcher paths', () => {
  it('REPO_ROOT is the workspace root and every app entry point exists under it', () => {
    // The launcher spawns `node --import tsx <REPO_ROOT>/<APP_MAIN[app]>`; a wrong root fails every launch.
    expect(existsSync(join(REPO_ROOT, 'pnpm-workspace.yaml'))).toBe(true);
    for (const main of Object.values(APP_MAIN)) expect(existsSync(join(REPO_ROOT, main)), main).toBe(true);
  });
});
