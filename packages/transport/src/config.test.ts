import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';

const schema = z.strictObject({
  name: z.string().default('kv-pool'),
  grpc: z.strictObject({ port: z.number().int().min(0).max(65535).default(0) }).default({ port: 0 }),
  maxFrameBytes: z.number().int().positive().default(1024),
  verbose: z.boolean().default(false),
  mode: z.enum(['lru', 's3-fifo']).default('lru'),
  tiers: z.record(z.string(), z.strictObject({ capacityBytes: z.number().positive() })).default({}),
});

const dir = mkdtempSync(join(tmpdir(), 'oicf-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function jsonFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills defaults when no source sets anything', () => {
    expect(loadConfig(schema, { name: 'kv-pool' })).toEqual({
      name: 'kv-pool',
      grpc: { port: 0 },
      maxFrameBytes: 1024,
      verbose: false,
      mode: 'lru',
      tiers: {},
    });
  });

  it('layers file < env < flags and reads text as the type the schema wants', () => {
    const file = jsonFile('layer.json', {
      name: 'from-file',
      grpc: { port: 1 },
      maxFrameBytes: 10,
      tiers: { dram: { capacityBytes: 5 } },
    });
    const cfg = loadConfig(schema, {
      name: 'kv-pool',
      env: { OICF_T_GRPC__PORT: '2', OICF_T_TIERS__DISK__CAPACITY_BYTES: '1e9', OICF_T_NAME: '123', OTHER: 'x' },
      envPrefix: 'OICF_T_',
      argv: ['--config', file, '--grpc.port=3', '--verbose', '--mode', 's3-fifo', '--max-frame-bytes=2048'],
    });
    expect(cfg).toEqual({
      name: '123', // a string field keeps digits as text
      grpc: { port: 3 },
      maxFrameBytes: 2048,
      verbose: true,
      mode: 's3-fifo',
      tiers: { dram: { capacityBytes: 5 }, disk: { capacityBytes: 1e9 } },
    });
  });

  it('lists every bad field with its path and source, in one error', () => {
    const file = jsonFile('bad.json', { grpc: { port: 70000 }, tiers: { dram: { capacityBytes: -1 } }, typo: 1 });
    const issues = issuesOf(() =>
      loadConfig(schema, {
        name: 'kv-pool',
        file,
        env: { OICF_T_MAX_FRAME_BYTES: 'lots', OICF_T_NOPE: '1' },
        envPrefix: 'OICF_T_',
        argv: ['--mode=fifo', '--grpc.host=x', 'stray'],
      }),
    );
    expect(issues).toEqual([
      { path: 'grpc.host', message: 'unknown setting', source: 'flag --grpc.host' },
      { path: '', message: 'unexpected argument "stray": settings are --path=value', source: 'flags' },
      { path: 'nope', message: 'unknown setting', source: 'env OICF_T_NOPE' },
      { path: 'grpc.port', message: 'Too big: expected number to be <=65535', source: `file ${file}` },
      {
        path: 'maxFrameBytes',
        message: 'Invalid input: expected number, received string',
        source: 'env OICF_T_MAX_FRAME_BYTES',
      },
      { path: 'mode', message: 'Invalid option: expected one of "lru"|"s3-fifo"', source: 'flag --mode' },
      { path: 'tiers.dram.capacityBytes', message: 'Too small: expected number to be >0', source: `file ${file}` },
      { path: 'typo', message: 'unknown setting', source: `file ${file}` },
    ]);
  });

  it('says so in the message and code', () => {
    try {
      loadConfig(schema, { name: 'router', argv: ['--grpc.port=-1'] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('INVALID_ARGUMENT');
      expect((err as ConfigError).field).toBe('grpc.port');
      expect((err as ConfigError).message).toBe(
        'invalid router config, 1 problem:\n  grpc.port: Too small: expected number to be >=0 (from flag --grpc.port)',
      );
    }
  });

  it('names a required setting that no source gave as not set, not as a bad default', () => {
    const required = z.strictObject({ workerId: z.string(), port: z.number().default(0) });
    expect(issuesOf(() => loadConfig(required, { name: 'worker', argv: ['--port=1'] }))).toEqual([
      { path: 'workerId', message: 'required, not set (expected string)', source: 'no source' },
    ]);
  });

  it('reports an unreadable or non-object file', () => {
    expect(issuesOf(() => loadConfig(schema, { name: 'x', file: jsonFile('broken.json', '{"a":') }))[0]).toMatchObject({
      path: '',
      message: expect.stringContaining('cannot read JSON config'),
    });
    expect(issuesOf(() => loadConfig(schema, { name: 'x', file: jsonFile('array.json', [1]) }))[0]).toMatchObject({
      message: 'the config file must hold a JSON object',
    });
    expect(issuesOf(() => loadConfig(schema, { name: 'x', file: join(dir, 'missing.json') }))[0]?.message).toMatch(
      /ENOENT/,
    );
  });
});
