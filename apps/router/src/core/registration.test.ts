import { describe, expect, it } from 'vitest';
import { checkRegistration, type RegisterInput } from './registration.js';

const ok: RegisterInput = {
  workerId: 'decode-0',
  role: 'WORKER_ROLE_DECODE',
  grpcAddress: '127.0.0.1:40001',
  wsAddress: 'ws://127.0.0.1:40002',
  modelId: 'tiny-gqa',
  capacity: { kvCapacityBytes: 1 << 20, maxBatch: 4, maxContextTokens: 0 },
  deviceId: 'this-machine',
  emulatedModelId: '',
  httpAddress: 'http://127.0.0.1:40003',
};
const served = { modelId: 'tiny-gqa', mode: 'disaggregated' as const };

describe('checkRegistration', () => {
  it('accepts a well-formed decode worker', () => {
    expect(checkRegistration(ok, served)).toEqual({
      kind: 'ok',
      registration: {
        workerId: 'decode-0',
        role: 'decode',
        grpcAddress: '127.0.0.1:40001',
        wsAddress: 'ws://127.0.0.1:40002',
        httpAddress: 'http://127.0.0.1:40003',
        modelId: 'tiny-gqa',
        deviceId: 'this-machine',
        emulatedModelId: '',
        kvCapacityBytes: 1 << 20,
        maxBatch: 4,
        maxContextTokens: 0,
      },
    });
  });

  it('reads a missing http_address (an older worker) as none', () => {
    const { httpAddress: _, ...older } = ok;
    const r = checkRegistration(older, served);
    expect(r.kind === 'ok' && r.registration.httpAddress).toBe('');
  });

  it('accepts a prefill worker without capacity or data plane', () => {
    const r = checkRegistration({ ...ok, role: 'WORKER_ROLE_PREFILL', wsAddress: '', capacity: null }, served);
    expect(r.kind === 'ok' && r.registration.role).toBe('prefill');
  });

  it.each([
    [{ workerId: '' }, 'worker_id'],
    [{ workerId: 'a b' }, 'worker_id'],
    [{ role: 'WORKER_ROLE_UNSPECIFIED' }, 'role'],
    [{ grpcAddress: 'localhost' }, 'grpc_address'],
    [{ grpcAddress: '127.0.0.1:70000' }, 'grpc_address'],
    [{ wsAddress: '' }, 'ws_address'],
    [{ wsAddress: 'http://127.0.0.1:1' }, 'ws_address'],
    [{ httpAddress: '127.0.0.1:1' }, 'http_address'],
    [{ httpAddress: 'http://127.0.0.1:1/metrics' }, 'http_address'],
    [{ capacity: { kvCapacityBytes: 0, maxBatch: 4, maxContextTokens: 0 } }, 'capacity.kv_capacity_bytes'],
    [{ capacity: { kvCapacityBytes: 1, maxBatch: 0, maxContextTokens: 0 } }, 'capacity.max_batch'],
  ] as Array<[Partial<RegisterInput>, string]>)('%j is invalid at %s', (over, field) => {
    const r = checkRegistration({ ...ok, ...over }, served);
    expect(r.kind === 'invalid' && r.field).toBe(field);
  });

  it.each([
    [{ modelId: 'tiny-mha' }, served, /serves model "tiny-gqa", not "tiny-mha"/],
    [{ role: 'WORKER_ROLE_PREFILL' }, { ...served, mode: 'colocated' as const }, /colocated mode/],
  ] as const)('refuses %j (a value, not an error)', (over, s, reason) => {
    const r = checkRegistration({ ...ok, ...over }, s);
    expect(r.kind).toBe('refused');
    expect(r.kind === 'refused' && r.reason).toMatch(reason);
  });
});
