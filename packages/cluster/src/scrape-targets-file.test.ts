import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LaunchedService } from './cluster-state.js';
import {
  RUN_DIR_TARGETS_FILE,
  removeScrapeTargets,
  STABLE_TARGETS_DIR,
  stableTargetsFile,
  writeScrapeTargets,
} from './scrape-targets-file.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-file-sd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const service = (name: string, app: LaunchedService['app'], port: number): LaunchedService => ({
  name,
  app,
  pid: 1,
  endpoints: { http: `http://127.0.0.1:${port}` },
  logFile: '',
  configFile: '',
});
const services = [
  service('kv-pool', 'kv-pool', 7001),
  service('router', 'router', 7002),
  service('prefill-0', 'prefill-worker', 7003),
  service('decode-0', 'decode-worker', 7004),
];

describe('file_sd files of a local cluster', () => {
  it('writes one target group per service, labelled, in the run directory and the stable directory', () => {
    const runDir = join(dir, 'run');
    const stable = join(dir, 'stable');
    const paths = writeScrapeTargets({ runDir, services }, 'disaggregated', stable);
    expect(paths).toEqual([join(runDir, RUN_DIR_TARGETS_FILE), stableTargetsFile(runDir, stable)]);
    for (const p of paths) {
      expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual([
        { targets: ['127.0.0.1:7001'], labels: { service: 'kv-pool', role: 'kv-pool', cluster: runDir } },
        { targets: ['127.0.0.1:7002'], labels: { service: 'router', role: 'router', cluster: runDir } },
        {
          targets: ['127.0.0.1:7003'],
          labels: { service: 'prefill-0', role: 'prefill', worker_id: 'prefill-0', cluster: runDir },
        },
        {
          targets: ['127.0.0.1:7004'],
          labels: { service: 'decode-0', role: 'decode', worker_id: 'decode-0', cluster: runDir },
        },
      ]);
    }
    removeScrapeTargets(runDir, stable);
    expect([existsSync(paths[0] as string), existsSync(paths[1] as string)]).toEqual([true, false]);
  });

  it('names a colocated cluster’s workers role both, and keeps run directories apart', () => {
    const a = writeScrapeTargets({ runDir: join(dir, 'a'), services }, 'colocated', join(dir, 's'));
    const b = writeScrapeTargets({ runDir: join(dir, 'b'), services }, 'colocated', join(dir, 's'));
    expect(a[1]).not.toBe(b[1]);
    const groups = JSON.parse(readFileSync(a[1] as string, 'utf8')) as Array<{ labels: { role: string } }>;
    expect(groups.map((g) => g.labels.role)).toEqual(['kv-pool', 'router', 'prefill', 'both']);
  });

  it('keeps the stable files where deploy/prometheus/prometheus.local.yml reads them', () => {
    const config = readFileSync(new URL('../../../deploy/prometheus/prometheus.local.yml', import.meta.url), 'utf8');
    expect(config).toContain('- ../../.oicf/prometheus/targets/*.json');
    expect(STABLE_TARGETS_DIR).toBe(join(new URL('../../..', import.meta.url).pathname, '.oicf/prometheus/targets'));
  });
});
