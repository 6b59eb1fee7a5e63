import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type ClusterConfig,
  parseClusterConfig,
  poolServiceConfig,
  routerServiceConfig,
  workerServiceConfig,
} from '@oicf/cluster';
import { emulationTarget, getDevice, getModel, kvCapacityTokens } from '@oicf/core';
import { buildDecodeGraph, kvBytesPerToken, tinyConfig, type VariantId, WeightStore } from '@oicf/kernels';
import { loadConfig } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';

// Everything under deploy/ is checked here without Docker or a cluster: each sample service config parses
// with its app's real zod schema (the one main.ts loads), the cluster configs parse with the launcher's
// schema, kustomize and compose reference only files that exist and mount only sample configs, the YAML is
// well-formed, and the Prometheus rules and Grafana dashboard name only metrics the apps (or docs/metrics.md)
// define. kubectl (built-in kustomize) and promtool deepen the checks when installed.

const root = fileURLToPath(new URL('../..', import.meta.url));
const deploy = join(root, 'deploy');
const at = (...p: string[]) => join(deploy, ...p);
const rel = (p: string) => relative(root, p);
const readJson = (p: string): Record<string, unknown> => JSON.parse(readFileSync(p, 'utf8'));
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML and JSON are walked by shape; a wrong path fails its assertion.
type Doc = Record<string, any>;

/** Every document of a YAML file; a syntax error fails with the file and the parser's message. */
function readYaml(p: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(p, 'utf8'), { merge: true });
  if (!Array.isArray(docs)) return [];
  for (const d of docs) if (d.errors.length > 0) throw new Error(`${rel(p)}: ${d.errors[0]?.message}`);
  return docs.map((d) => d.toJS() as Doc).filter((d) => d !== null);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });

/**
 * Why the overlays cannot be rendered here, or undefined when they can. They use kustomize `components`,
 * which needs the kustomize v4+ built into kubectl ≥ 1.21. Debian bookworm has no such package: its
 * kubernetes-client is kubectl 1.20 with kustomize v2.0.3, which fails on `components` ("unknown field").
 */
function whyNoKustomize(): string | undefined {
  if (!has('kubectl')) return 'kubectl not installed (Debian bookworm has none with kustomize ≥ v4)';
  const version = run('kubectl', ['version', '--client']).stdout;
  const major = Number(/Kustomize Version: v(\d+)/.exec(version)?.[1] ?? 0);
  return major >= 4 ? undefined : `kubectl's built-in kustomize is older than v4 (${version.split('\n')[0] ?? ''})`;
}

// --- the apps and their sample configs ------------------------------------------------------------------

const APPS = ['router', 'prefill-worker', 'decode-worker', 'kv-pool'] as const;
type App = (typeof APPS)[number];
/** Metric component of each app (`oicf_<component>_…`, docs/metrics.md). */
const COMPONENT: Record<App, string> = {
  router: 'router',
  'prefill-worker': 'prefill',
  'decode-worker': 'decode',
  'kv-pool': 'kvpool',
};
/** Sample service configs per app: the base set and the heterogeneous set. */
const SAMPLES = APPS.flatMap((app) => [
  { app, file: at('configs', `${app}.json`) },
  { app, file: at('configs', 'hetero', `${app}.json`) },
]);
const configTs = (app: App) => join(root, 'apps', app, 'src', 'config.ts');

/** The app's config schema: the one export of config.ts named `…ConfigSchema`. */
async function schemaOf(app: App): Promise<z.ZodType> {
  const mod = (await import(pathToFileURL(configTs(app)).href)) as Record<string, unknown>;
  const found = Object.entries(mod).filter(
    ([k, v]) => k.endsWith('ConfigSchema') && typeof (v as z.ZodType)?.safeParse === 'function',
  );
  if (found.length !== 1) {
    throw new Error(`apps/${app}/src/config.ts should export one …ConfigSchema, found [${found.map((f) => f[0])}]`);
  }
  return found[0]?.[1] as z.ZodType;
}

/** V8 flags an app runs with (the pool's larger old space: apps/kv-pool/src/node-flags.ts). */
function nodeFlags(app: string): string[] {
  return app === 'kv-pool' ? ['--initial-old-space-size=128'] : [];
}

describe('sample service configs parse with their app schemas', () => {
  for (const { app, file } of SAMPLES) {
    it(`${rel(file)} (apps/${app}/src/config.ts)`, async () => {
      const schema = await schemaOf(app);
      // The same path main.ts takes: the file through loadConfig, every bad field listed on failure.
      expect(() => loadConfig(schema, { name: app, file })).not.toThrow();
    });
  }

  // Deployments override a worker's bind host (pod IP / compose service name) and id through env vars; the
  // names must carry the app's env prefix (its main.ts) or loadConfig refuses them as unknown settings.
  for (const app of ['prefill-worker', 'decode-worker'] as const) {
    const mainTs = join(root, 'apps', app, 'src', 'main.ts');
    it(`${app}: the env overrides Kubernetes and compose set are accepted by its config loader`, async () => {
      const prefix = /'(OICF_[A-Z_]+_)'/.exec(readFileSync(mainTs, 'utf8'))?.[1];
      expect(prefix, `apps/${app}/src/main.ts names its OICF_… env prefix`).toMatch(/^OICF_[A-Z_]+_$/);
      const [k8s] = readYaml(at('kubernetes/base', `${app}.yaml`)) as [Doc];
      const env = Object.fromEntries(
        (k8s.spec.template.spec.containers[0].env as Doc[]).map((e) => [e.name, e.valueFrom.fieldRef.fieldPath]),
      );
      expect(env).toEqual({ [`${prefix}WORKER_ID`]: 'metadata.name', [`${prefix}HOST`]: 'status.podIP' });
      const [compose] = readYaml(at('compose/compose.yaml')) as [Doc];
      expect(compose.services[app].environment[`${prefix}HOST`]).toBe(app);
      const loaded = loadConfig(await schemaOf(app), {
        name: app,
        file: at('configs', `${app}.json`),
        envPrefix: prefix,
        env: { [`${prefix}HOST`]: '10.1.2.3', [`${prefix}WORKER_ID`]: `${app}-7d9f-x2` },
      }) as { host: string; workerId: string };
      expect([loaded.host, loaded.workerId]).toEqual(['10.1.2.3', `${app}-7d9f-x2`]);
    });
  }

  it('agree on the model, block size, fixed ports and the Service names they dial', () => {
    for (const { app, file } of SAMPLES) {
      const c = readJson(file);
      const where = rel(file);
      expect(c.blockTokens, where).toBe(64);
      if (app !== 'kv-pool') expect(c.model, where).toBe('tiny-gqa');
      // Fixed in containers (Services and probes point at them): http 8080, grpc 9090, ws 9091.
      expect([c.host, c.httpPort, c.grpcPort, c.wsPort], where).toEqual(['0.0.0.0', 8080, 9090, 9091]);
      if (app !== 'kv-pool')
        expect(c.pool, where).toEqual({ grpcAddress: 'kv-pool:9090', wsAddress: 'ws://kv-pool:9091' });
      if (app.endsWith('-worker')) expect(c.routerGrpcAddress, where).toBe('router-registry:9090');
    }
    expect(readJson(at('configs/hetero/prefill-worker.json')).emulate).toBe('llama-3.1-70b@rubin-cpx');
    expect(readJson(at('configs/hetero/decode-worker.json')).emulate).toBe('llama-3.1-70b@h200');
    const tiers = readJson(at('configs/hetero/kv-pool.json')).tiers as Record<string, { capacityBytes: number }>;
    expect(Object.keys(tiers).sort()).toEqual(['cxl', 'disk', 'dram']);
  });
});

describe('cluster configs (oicf cluster up --config)', () => {
  const files = ['cluster.json', 'cluster-hetero.json'].map((f) => at('configs', f));
  const parsed = files.map((f) => parseClusterConfig(readJson(f), rel(f)));

  it('parse with parseClusterConfig', () => {
    for (const p of parsed) expect(p.ok ? [] : p.errors).toEqual([]);
  });

  it('the heterogeneous one emulates Rubin CPX prefill, H200 decode and a dram + cxl + disk pool', () => {
    const hetero = parsed[1];
    if (!hetero?.ok) throw new Error('cluster-hetero.json does not parse');
    const c = hetero.value;
    expect([c.prefill.emulate, c.decode.emulate]).toEqual(['llama-3.1-70b@rubin-cpx', 'llama-3.1-70b@h200']);
    for (const target of [c.prefill.emulate, c.decode.emulate]) {
      const [model, device] = (target ?? '').split('@') as [string, string];
      expect(getModel(model).ok, model).toBe(true);
      expect(getDevice(device).ok, device).toBe(true);
    }
    const t = c.pool.tiers;
    expect([t.dram, t.cxl, t.disk].every((x) => x.capacityBytes > 0)).toBe(true);
    expect(t.opticalPool.capacityBytes).toBe(0);
  });

  // What the launcher writes from these files must start the apps: the same schemas judge it.
  const pool = { grpcAddress: '127.0.0.1:1', wsAddress: 'ws://127.0.0.1:2' };
  const derived: Array<[App, (c: ClusterConfig) => Record<string, unknown>]> = [
    ['router', (c) => routerServiceConfig(c, pool)],
    ['prefill-worker', (c) => workerServiceConfig(c, 'prefill', 0, '127.0.0.1:3', pool)],
    ['decode-worker', (c) => workerServiceConfig(c, 'decode', 0, '127.0.0.1:3', pool)],
    ['kv-pool', (c) => poolServiceConfig(c, '/tmp/oicf-kv')],
  ];
  for (const [app, make] of derived) {
    it(`launcher's ${app} configs from them parse with apps/${app}/src/config.ts`, async () => {
      const schema = await schemaOf(app);
      for (const [i, p] of parsed.entries()) {
        if (!p.ok) continue;
        const res = schema.safeParse(make(p.value));
        const issues = res.success ? [] : res.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`);
        expect(issues, `${app} config derived from ${rel(files[i] as string)}`).toEqual([]);
      }
    });
  }
});

// --- Kubernetes ---------------------------------------------------------------------------------------

const kustomizations = walk(deploy).filter((p) => p.endsWith('/kustomization.yaml'));
const sampleFiles = new Set(SAMPLES.map((s) => s.file));

describe('kustomize', () => {
  it('kustomizations reference only files and kustomization folders that exist', () => {
    expect(kustomizations.length).toBeGreaterThanOrEqual(5);
    for (const k of kustomizations) {
      const [doc] = readYaml(k);
      const dir = dirname(k);
      const refs: string[] = [
        ...(doc?.resources ?? []),
        ...(doc?.components ?? []),
        ...(doc?.patches ?? []).flatMap((p: Doc) => (p.path ? [p.path] : [])),
        ...(doc?.configMapGenerator ?? []).flatMap((g: Doc) => (g.files ?? []).map((f: string) => f.split('=').pop())),
      ];
      for (const r of refs) {
        const target = resolve(dir, r);
        expect(existsSync(target), `${rel(k)} → ${r}`).toBe(true);
        if (statSync(target).isDirectory()) expect(existsSync(join(target, 'kustomization.yaml')), r).toBe(true);
      }
    }
  });

  it('every ConfigMap is generated from a sample config that the schemas above check', () => {
    const generated = kustomizations.flatMap((k) =>
      (readYaml(k)[0]?.configMapGenerator ?? []).flatMap((g: Doc) =>
        (g.files as string[]).map((f) => resolve(dirname(k), f.split('=').pop() as string)),
      ),
    );
    expect(generated.length).toBe(8);
    for (const f of generated) expect(sampleFiles.has(f), rel(f)).toBe(true);
  });

  it('base workloads: command, config mount, probes, ports, scrape annotations, requests', () => {
    const docs = ['router', 'prefill-worker', 'decode-worker', 'kv-pool'].flatMap((n) =>
      readYaml(at('kubernetes/base', `${n}.yaml`)),
    );
    const workloads = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet');
    expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
      'Deployment/decode-worker',
      'Deployment/prefill-worker',
      'Deployment/router',
      'StatefulSet/kv-pool',
    ]);
    for (const w of workloads) {
      const app = w.metadata.name as App;
      const pod = w.spec.template;
      const [c] = pod.spec.containers;
      expect(c.command, app).toEqual([
        'node',
        ...nodeFlags(app),
        'scripts/run-service.mjs',
        app,
        '--config',
        `/config/${app}.json`,
      ]);
      const cfgVolume = pod.spec.volumes.find((v: Doc) => v.name === 'config');
      expect(cfgVolume.configMap.name, app).toBe(`${app}-config`);
      expect(c.volumeMounts.find((m: Doc) => m.name === 'config').mountPath).toBe('/config');
      expect([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path], app).toEqual(['/readyz', '/healthz']);
      expect(c.ports.map((p: Doc) => [p.name, p.containerPort])).toEqual([
        ['http', 8080],
        ['grpc', 9090],
        ['ws', 9091],
      ]);
      expect(pod.metadata.annotations, app).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8080',
        'prometheus.io/path': '/metrics',
      });
      expect(Object.keys(c.resources.requests).sort(), app).toEqual(['cpu', 'memory']);
    }
    const services = Object.fromEntries(docs.filter((d) => d.kind === 'Service').map((s) => [s.metadata.name, s.spec]));
    // Workers dial router-registry:9090 and kv-pool:9090/9091 (the sample configs above).
    expect(services['router-registry']).toMatchObject({ publishNotReadyAddresses: true, ports: [{ port: 9090 }] });
    expect(services['kv-pool'].ports.map((p: Doc) => p.port)).toEqual([8080, 9090, 9091]);
    expect(services.router.ports.map((p: Doc) => p.port)).toEqual([8080, 9090, 9091]);
    for (const w of ['prefill-worker', 'decode-worker']) expect(services[w].clusterIP, w).toBe('None');
    const pool = workloads.find((w) => w.kind === 'StatefulSet');
    expect(pool?.spec.volumeClaimTemplates[0].metadata.name).toBe('kv-disk');
  });

  it("decode workers' memory limit covers a copy of the weights per built graph plus the KV cache", () => {
    // Each onnxruntime session embeds the model's weights (measured: ≈ 62 MiB per session even without prepacking),
    // and a decode worker builds the prefill graph plus, per batch size 1…warmBatches, a tiled and a short-context
    // decode graph before it listens. A lower bound only: onnxruntime's own buffers come on top.
    const quantity = (q: string) => Number.parseFloat(q) * (q.endsWith('Gi') ? 2 ** 30 : 2 ** 20);
    const cases = [
      { yaml: at('kubernetes/base/decode-worker.yaml'), config: at('configs/decode-worker.json') },
      { yaml: at('kubernetes/overlays/hetero/decode-h200.yaml'), config: at('configs/hetero/decode-worker.json') },
    ];
    for (const { yaml, config: file } of cases) {
      const cfg = readJson(file) as {
        model: string;
        maxBatch: number;
        warmBatches?: number;
        kvCapacityBytes?: number;
        emulate?: string;
        emulateLink?: string;
        maxTokensPerSequence?: number;
      };
      const [family, variant] = cfg.model.split('-') as ['tiny', VariantId];
      expect(family).toBe('tiny');
      const model = tinyConfig(variant, { weights: 'fp32', seed: 1, maxPositions: cfg.maxTokensPerSequence ?? 8192 });
      const weightBytes = buildDecodeGraph(new WeightStore(model), 1, { kTileTokens: 1024 }).initializers.reduce(
        (a, t) => a + t.data.byteLength,
        0,
      );
      const kvBytes =
        cfg.emulate === undefined
          ? (cfg.kvCapacityBytes ?? 0)
          : kvCapacityTokens(emulationTarget(cfg.emulate, cfg.emulateLink ?? 'rdma-400g')) * kvBytesPerToken(model);
      const sessions = 1 + 2 * Math.min(cfg.warmBatches ?? cfg.maxBatch, cfg.maxBatch);
      const [w] = readYaml(yaml) as [Doc];
      const limit = quantity(w.spec.template.spec.containers[0].resources.limits.memory);
      expect(limit, `${rel(yaml)}: ${sessions} sessions × ${weightBytes} B + ${kvBytes} B of KV`).toBeGreaterThan(
        sessions * weightBytes + kvBytes,
      );
    }
  });

  const overlays = ['local', 'hetero'];
  const cannotRender = whyNoKustomize();
  if (cannotRender) console.warn(`deploy-configs: rendered-overlay checks skipped: ${cannotRender}`);
  for (const overlay of overlays) {
    it.skipIf(cannotRender !== undefined)(
      `overlays/${overlay} renders (kubectl kustomize) with sample configs and sized volumes${cannotRender ? ` (skipped: ${cannotRender})` : ''}`,
      () => {
        const out = run('kubectl', ['kustomize', at('kubernetes/overlays', overlay)]);
        expect(out.status, out.stderr).toBe(0);
        const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as Doc);
        const byKind = (k: string) => docs.filter((d) => d.kind === k);
        const configDir = overlay === 'hetero' ? at('configs/hetero') : at('configs');
        for (const cm of byKind('ConfigMap')) {
          const [[key, text]] = Object.entries(cm.data as Record<string, string>) as [[string, string]];
          expect(JSON.parse(text), `${overlay} ${cm.metadata.name}`).toEqual(readJson(join(configDir, key)));
        }
        const workloads = [...byKind('Deployment'), ...byKind('StatefulSet')];
        const replicas = Object.fromEntries(workloads.map((w) => [w.metadata.name, w.spec.replicas]));
        const selectors = Object.fromEntries(
          workloads.map((w) => [w.metadata.name, w.spec.template.spec.nodeSelector?.['oicf.dev/accelerator']]),
        );
        if (overlay === 'local') {
          expect(replicas).toEqual({ router: 1, 'prefill-worker': 1, 'decode-worker': 1, 'kv-pool': 1 });
        } else {
          expect(replicas).toEqual({ router: 1, 'prefill-worker': 2, 'decode-worker': 4, 'kv-pool': 1 });
          expect(selectors).toMatchObject({ 'prefill-worker': 'rubin-cpx', 'decode-worker': 'h200' });
        }
        // Every referenced ConfigMap exists (kustomize renamed it with a hash), all in namespace oicf.
        const names = new Set(byKind('ConfigMap').map((c) => c.metadata.name));
        for (const w of workloads) {
          const cfg = w.spec.template.spec.volumes.find((v: Doc) => v.name === 'config').configMap.name;
          expect(names.has(cfg), `${w.metadata.name} → ${cfg}`).toBe(true);
          expect(w.metadata.namespace).toBe('oicf');
        }
        // The pool's volume holds its disk tier; its memory request holds the memory tiers.
        const sts = byKind('StatefulSet')[0] as Doc;
        const tiers = readJson(join(configDir, 'kv-pool.json')).tiers as Record<string, { capacityBytes: number }>;
        const gib = (q: string) => Number.parseFloat(q) * (q.endsWith('Gi') ? 2 ** 30 : 2 ** 20);
        expect(gib(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage)).toBeGreaterThan(
          tiers.disk?.capacityBytes ?? 0,
        );
        const memoryTiers = (tiers.dram?.capacityBytes ?? 0) + (tiers.cxl?.capacityBytes ?? 0);
        expect(gib(sts.spec.template.spec.containers[0].resources.requests.memory)).toBeGreaterThan(memoryTiers);
      },
    );
  }
});

// --- oicf explore as a Kubernetes Indexed Job ---------------------------------------------------------

describe('explore shards (deploy/kubernetes/explore): an Indexed Job and a merge Job', () => {
  const [job] = readYaml(at('kubernetes/explore/shards-job.yaml')) as [Doc];
  const [merge] = readYaml(at('kubernetes/explore/merge/merge-job.yaml')) as [Doc];
  const [pvc] = readYaml(at('kubernetes/explore/results-volume.yaml')) as [Doc];
  const [c] = job.spec.template.spec.containers as [Doc];
  const args = c.args as string[];
  const shardArg = args[args.indexOf('--shard') + 1] as string;
  const n = job.spec.completions as number;

  it('gives each pod its completion index as --shard i/N, N = completions', () => {
    expect([job.kind, job.spec.completionMode, job.spec.parallelism]).toEqual(['Job', 'Indexed', n]);
    expect(shardArg).toBe(`$(JOB_COMPLETION_INDEX)/${n}`);
    // $(VAR) in args expands only from the container's env: the index comes from the pod's annotation.
    expect(c.env).toEqual([
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
      },
    ]);
    expect(c.command).toEqual(['node', '--import', 'tsx', 'apps/cli/src/main.ts', 'explore']);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('its explore arguments parse with the CLI for the first and the last index, naming a space in the image', async () => {
    const { parseExploreArgs } = await import('@oicf/cli');
    const { parseSpace } = await import('@oicf/explore');
    for (const i of [0, n - 1]) {
      const parsed = parseExploreArgs(args.map((a) => a.replace('$(JOB_COMPLETION_INDEX)', String(i))));
      expect(parsed.shard).toEqual({ index: i, count: n });
      expect(parsed.out).toBe('/results');
    }
    const space = parseExploreArgs(args.map((a) => a.replace('$(JOB_COMPLETION_INDEX)', '0'))).space as string;
    // The image is the repo at /app (deploy/docker/Dockerfile), the pods' working directory.
    expect(c.workingDir).toBe('/app');
    const parsedSpace = parseSpace(readJson(join(root, space)));
    expect(parsedSpace.ok ? [] : parsedSpace.error.message).toEqual([]);
  });

  it('the merge reads the N shard files from the volume the shards write', () => {
    const [m] = merge.spec.template.spec.containers as [Doc];
    expect(m.args).toEqual([
      `node --import tsx apps/cli/src/main.ts explore merge /results/shard-*-of-${n}.json --out /results/merged`,
    ]);
    const claim = (d: Doc) =>
      d.spec.template.spec.volumes.find((v: Doc) => v.name === 'results').persistentVolumeClaim.claimName;
    expect([claim(job), claim(merge)]).toEqual([pvc.metadata.name, pvc.metadata.name]);
    for (const x of [c, m]) expect(x.volumeMounts).toEqual([{ name: 'results', mountPath: '/results' }]);
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
  });

  const cannotRender = whyNoKustomize();
  it.skipIf(cannotRender !== undefined)(
    `renders (kubectl kustomize) in namespace oicf${cannotRender ? ` (skipped: ${cannotRender})` : ''}`,
    () => {
      for (const dir of ['kubernetes/explore', 'kubernetes/explore/merge']) {
        const out = run('kubectl', ['kustomize', at(dir)]);
        expect(out.status, out.stderr).toBe(0);
        const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as Doc);
        for (const d of docs) expect(d.metadata.namespace, `${dir} ${d.kind}`).toBe('oicf');
      }
    },
  );
});

// --- compose, Prometheus, Grafana -------------------------------------------------------------------

describe('compose', () => {
  const [compose] = readYaml(at('compose/compose.yaml')) as [Doc];
  const services = compose.services as Record<string, Doc>;

  it('runs each app with its sample config, plus Prometheus and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual([...APPS, 'grafana', 'prometheus'].sort());
    for (const app of APPS) {
      const s = services[app] as Doc;
      expect(s.image, app).toBe('node:20-slim');
      expect(s.command, app).toEqual([
        'node',
        ...nodeFlags(app),
        'scripts/run-service.mjs',
        app,
        '--config',
        `/config/${app}.json`,
      ]);
      expect(s.volumes, app).toEqual(expect.arrayContaining(['../..:/app:ro', '../configs:/config:ro']));
      // Workers bind their service name, not loopback (see the env check above).
      const self = app.endsWith('-worker') ? app : '127.0.0.1';
      expect(s.healthcheck.test.join(' '), app).toMatch(new RegExp(`http://${self}:8080/(readyz|healthz)`));
    }
    expect((services.router as Doc).networks.default.aliases).toEqual(['router-registry']);
  });

  it('mounts only paths that exist and depends only on services it defines', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of (s.volumes ?? []) as string[]) {
        const source = v.split(':')[0] as string;
        if (source.startsWith('.')) expect(existsSync(resolve(at('compose'), source)), `${name}: ${v}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: named volume ${source}`).toContain(source);
      }
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const d of deps) expect(Object.keys(services), `${name} depends on ${d}`).toContain(d);
    }
  });
});

/** Metric names a PromQL expression reads: `oicf_…` series and `level:metric:op` recorded names. */
function metricsIn(expr: string): string[] {
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((m) => m[0])
    .filter((t) => t.startsWith('oicf_') || t.includes(':'));
}

/** Names the apps define: literal names in docs/metrics.md and metrics sources, specs rebuilt, anchors. */
async function knownMetricNames(): Promise<Set<string>> {
  const { ANCHORS, anchorName, metricName } = await import('@oicf/metrics');
  const names = new Set<string>();
  const addLiterals = (text: string) => {
    for (const m of text.matchAll(/\b(oicf_[a-z0-9_]+|vllm:[a-z0-9_:]+)/g)) names.add(m[1] as string);
  };
  addLiterals(readFileSync(join(root, 'docs/metrics.md'), 'utf8'));
  const sources: Array<[string, string[]]> = APPS.map((app) => [
    join(root, 'apps', app, 'src', 'metrics.ts'),
    [COMPONENT[app]],
  ]);
  const workerDir = join(root, 'packages/worker/src/metrics');
  if (existsSync(workerDir)) for (const f of walk(workerDir)) sources.push([f, ['prefill', 'decode']]);
  for (const [file, fallback] of sources) {
    if (!existsSync(file) || file.endsWith('.test.ts')) continue;
    const text = readFileSync(file, 'utf8');
    addLiterals(text);
    const literal = [...text.matchAll(/component:\s*'([a-z_]+)'/g)].map((m) => m[1] as string);
    const components = literal.length > 0 ? literal : fallback;
    const specs = text.matchAll(/\b(counter|gauge|histogram)\(\{\s*name:\s*'([a-z0-9_]+)',\s*unit:\s*'([a-z_]+)'/g);
    for (const [, type, name, unit] of specs) {
      for (const component of components) names.add(metricName({ component, name, unit, type } as never));
    }
    if (text.includes('createAnchorMetrics')) {
      for (const key of Object.keys(ANCHORS) as Array<keyof typeof ANCHORS>) {
        for (const c of components) for (const mode of ['oicf', 'vllm'] as const) names.add(anchorName(key, mode, c));
      }
    }
  }
  return names;
}

describe('Prometheus and Grafana', () => {
  const rulesFile = at('prometheus/rules/oicf.rules.yml');
  const rules = ((readYaml(rulesFile)[0] as Doc).groups as Doc[]).flatMap((g) => g.rules as Doc[]);
  const recorded = new Set(rules.map((r) => r.record as string));
  const dashboard = readJson(at('grafana/dashboards/oicf.json')) as Doc;
  const panels = (dashboard.panels as Doc[]).filter((p) => p.type !== 'row');

  it('compose scrape targets are the four apps on their HTTP port; Kubernetes discovers annotated pods', () => {
    const [compose] = readYaml(at('prometheus/prometheus.yml')) as [Doc];
    const targets = (compose.scrape_configs as Doc[]).flatMap((j) => j.static_configs.flatMap((s: Doc) => s.targets));
    expect(targets.sort()).toEqual([...APPS.map((a) => `${a}:8080`), 'localhost:9090'].sort());
    const [k8s] = readYaml(at('prometheus/prometheus-kubernetes.yml')) as [Doc];
    const [job] = k8s.scrape_configs as [Doc];
    expect(job.kubernetes_sd_configs[0].role).toBe('pod');
    expect(job.relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
      regex: 'true',
      action: 'keep',
    });
  });

  it('rules and dashboard read only metrics the apps define (docs/metrics.md or metrics.ts) or rules record', async () => {
    const known = await knownMetricNames();
    const isKnown = (n: string) =>
      recorded.has(n) || known.has(n) || known.has(n.replace(/_(bucket|sum|count)$/, '')) || n.startsWith('vllm:');
    const exprs = [
      ...rules.map((r) => [`rule ${r.record}`, r.expr as string]),
      ...panels.flatMap((p) => (p.targets as Doc[]).map((t) => [`panel "${p.title}"`, t.expr as string])),
    ];
    const unknown = exprs.flatMap(([where, e]) =>
      metricsIn(e as string)
        .filter((n) => !isKnown(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it('the dashboard has the panels asked for, each querying the provisioned Prometheus', () => {
    const [provisioned] = readYaml(at('grafana/provisioning/datasources/prometheus.yml')) as [Doc];
    expect(provisioned.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const [provider] = readYaml(at('grafana/provisioning/dashboards/oicf.yml')) as [Doc];
    expect(provider.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    expect(dashboard.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    const ids = (dashboard.panels as Doc[]).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template.
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets.length, p.title).toBeGreaterThan(0);
    }
    const exprs = panels.flatMap((p) => p.targets.map((t: Doc) => t.expr as string)).join('\n');
    for (const needed of [
      'histogram_quantile(0.99, sum by (le) (rate(oicf_router_time_to_first_token_seconds_bucket',
      'histogram_quantile(0.99, sum by (le) (rate(oicf_router_inter_token_latency_seconds_bucket',
      'oicf_router_generation_tokens_total',
      'oicf_router_routed_requests_total',
      'oicf_router_admission_rejected_requests_total',
      'oicf_kvpool_tier_used_bytes',
      'oicf_kvpool_promoted_blocks_total',
      'oicf_kvpool_demoted_blocks_total',
      'link:oicf_kv_sent_bytes:rate1m',
      'oicf_decode_counted_intensity_flops_per_byte',
      'oicf_decode_measured_intensity_flops_per_byte',
      'oicf_decode_predicted_intensity_flops_per_byte',
      'oicf_decode_capacity_footprint_bytes',
      'oicf_router_ttft_prediction_error_ratio:p99',
    ]) {
      expect(exprs, needed).toContain(needed);
    }
  });

  const promtool = has('promtool');
  const noPromtool = 'promtool not installed (Debian package prometheus; scripts/ci-system-deps.sh installs it)';
  if (!promtool) console.warn(`deploy-configs: promtool checks skipped: ${noPromtool}`);
  it.skipIf(!promtool)(
    `promtool: compose and local configs valid, rules valid, rule unit tests pass${promtool ? '' : ` (skipped: ${noPromtool})`}`,
    () => {
      for (const args of [
        ['check', 'config', at('prometheus/prometheus.yml')],
        ['check', 'config', at('prometheus/prometheus.local.yml')],
        ['check', 'rules', rulesFile],
        ['test', 'rules', at('prometheus/rules/oicf.rules.test.yml')],
      ]) {
        const out = run('promtool', args);
        expect(out.status, `promtool ${args.join(' ')}\n${out.stdout}${out.stderr}`).toBe(0);
      }
    },
  );
});

describe('YAML under deploy/', () => {
  it('every .yaml/.yml file parses', () => {
    const files = walk(deploy).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const f of files) expect(() => readYaml(f), rel(f)).not.toThrow();
  });
});
