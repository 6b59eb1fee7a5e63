import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { workerConfigSchemaFor } from './worker-config.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-worker-config-'));
function file(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('worker config', () => {
  it('accepts exactly what the launcher writes and fills the defaults', () => {
    // The shape packages/cluster/src/service-configs.ts writes for a decode worker.
    const path = file('decode.json', {
      workerId: 'decode-0',
      role: 'decode',
      host: '127.0.0.1',
      model: 'tiny-gqa',
      weightPrecision: 'fp32',
      seed: 1,
      threads: 1,
      blockTokens: 64,
      routerGrpcAddress: '127.0.0.1:5000',
      pool: { grpcAddress: '127.0.0.1:5001', wsAddress: 'ws://127.0.0.1:5002' },
      kvCapacityBytes: 268435456,
      maxBatch: 16,
      emulate: 'llama-3.1-70b@h100',
      sessionTtlSeconds: 300,
      logLevel: 'info',
    });
    const c = loadConfig(workerConfigSchemaFor(['decode', 'both']), {
      name: 'decode-worker',
      argv: ['--config', path],
    });
    expect(c).toMatchObject({
      workerId: 'decode-0',
      emulate: 'llama-3.1-70b@h100',
      emulateLink: 'rdma-400g',
      httpPort: 0,
      grpcPort: 0,
      wsPort: 0,
      maxPrefillTokensPerStep: 512,
      maxTokensPerSequence: 8192,
    });
  });

  it('lists every bad field with its path, including a role this app cannot play', () => {
    const path = file('bad.json', {
      workerId: 'p-0',
      role: 'decode',
      model: 'gpt-5',
      blockTokens: 0,
      emulate: 'llama-3.1-70b@tpu9',
      emulateLink: 'carrier-pigeon',
      extra: true,
    });
    let error: unknown;
    try {
      loadConfig(workerConfigSchemaFor(['prefill']), { name: 'prefill-worker', argv: ['--config', path] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => i.path).sort();
    expect(issues).toEqual(['blockTokens', 'emulate', 'emulateLink', 'extra', 'model', 'role']);
    const text = (error as ConfigError).message;
    expect(text).toMatch(/unknown device 'tpu9'/);
    expect(text).toMatch(/unknown link 'carrier-pigeon'/);
    expect(text).toMatch(/extra/);
  });

  it('reports a malformed emulate target once, by its format, not as unknown catalog ids', () => {
    const path = file('emulate.json', { workerId: 'd-0', role: 'decode', emulate: 'llama' });
    let error: unknown;
    try {
      loadConfig(workerConfigSchemaFor(['decode']), { name: 'decode-worker', argv: ['--config', path] });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'emulate: must look like <model>@<device>, e.g. llama-3.1-70b@h100, got "llama"',
    ]);
  });

  it('refuses a role the app cannot run', () => {
    expect(() =>
      loadConfig(workerConfigSchemaFor(['prefill']), { name: 'prefill-worker', argv: ['--workerId=p', '--role=both'] }),
    ).toThrow(/role: .*"prefill"/);
  });
});
