// Trace lines and config files on arbitrary input (issue 14.6): every trace reader takes any line and gives
// a request, nothing, or an issue with a reason (never an exception); every app's config loader and the
// cluster config parser take any JSON file and give a config or a ConfigError listing fields (never a
// TypeError).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseClusterConfig } from '@oicf/cluster';
import { kvPoolConfigSchema } from '@oicf/kv-pool/config';
import { routerConfigSchema } from '@oicf/router/config';
import { createLineParser, type TraceFormat } from '@oicf/traces';
import { ConfigError, loadConfig } from '@oicf/transport';
import { workerConfigSchema } from '@oicf/worker';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { fuzzProperty } from './fuzz-property.js';

const FORMATS: TraceFormat[] = ['mooncake', 'azure', 'agent', 'weka', 'copilot'];

/** Lines a trace file might hold: JSON records with the formats' keys and odd values, CSV rows, noise. */
const odd = fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 1e300, '', null, [], {}, 'NaN'));
const line = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        timestamp: odd,
        input_length: odd,
        output_length: odd,
        hash_ids: fc.oneof(fc.array(fc.integer()), odd),
        session_id: odd,
        type: fc.oneof(fc.constantFrom('header', 'turn', 'session'), odd),
        format: odd,
        turns: odd,
      },
      { requiredKeys: [] },
    )
    .map((r) => JSON.stringify(r)),
  fc
    .array(fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String)), { maxLength: 6 })
    .map((cells) => cells.join(',')),
);

describe('trace lines under fuzzing', () => {
  it('every reader: each line is a request, ignored, or an issue with a reason', async () => {
    await fuzzProperty(
      'trace-lines',
      fc.tuple(fc.constantFrom(...FORMATS), fc.array(line, { minLength: 1, maxLength: 8 })),
      1500,
      ([format, lines]) => {
        const parser = createLineParser(format);
        const outcomes = lines.map((l, i) => parser.parse(l, i + 1));
        const end = parser.finish?.();
        for (const o of end === undefined ? outcomes : [...outcomes, end]) {
          if (o.kind === 'issue' && !(o.reason.length > 0))
            throw new Error(`an issue without a reason: ${JSON.stringify(o)}`);
        }
      },
    );
  });
});

describe('config files under fuzzing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oicf-fuzz-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const schemas = { router: routerConfigSchema, 'kv-pool': kvPoolConfigSchema, worker: workerConfigSchema } as const;

  const configJson = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(
      fc.constantFrom(
        'host',
        'httpPort',
        'model',
        'policy',
        'tiers',
        'pool',
        'queue',
        'api',
        'workerId',
        'role',
        'blockTokens',
        'x',
      ),
      fc.oneof(fc.jsonValue(), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue())),
    ),
  );

  it('app config loaders: a config or a ConfigError naming every bad field', async () => {
    let n = 0;
    await fuzzProperty(
      'config-files',
      fc.tuple(
        fc.constantFrom(...(Object.keys(schemas) as (keyof typeof schemas)[])),
        fc.oneof(
          configJson.map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 100 }),
        ),
      ),
      600,
      ([app, text]) => {
        const file = join(dir, `c${n++ % 8}.json`);
        writeFileSync(file, text);
        try {
          loadConfig(schemas[app], { name: app, file });
        } catch (err) {
          if (
            !(err instanceof ConfigError) ||
            err.issues.length === 0 ||
            err.issues.some((i) => i.message.length === 0)
          )
            throw err;
        }
      },
    );
  });

  it('the cluster config: ok, or every problem with its path', async () => {
    await fuzzProperty('cluster-config', configJson, 1000, (value) => {
      const r = parseClusterConfig(value);
      if (!r.ok && (r.errors.length === 0 || r.errors.some((e) => e.length === 0))) throw new Error('an unclear error');
    });
  });
});
