import {
  type HeartbeatRequest__Output,
  type HeartbeatResponse,
  loadProto,
  type RegisterRequest__Output,
  type RegistryHandlers,
} from '@oicf/proto';
import { defineService, type GrpcServer, realClock, startGrpcServer } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../util/logger.js';
import { Registration } from './registration.js';

/** A scripted Registry (the router's side) on a real gRPC port. */
async function fakeRouter(script: { accept: (n: number) => boolean; heartbeat: (n: number) => HeartbeatResponse }) {
  const registers: RegisterRequest__Output[] = [];
  const heartbeats: HeartbeatRequest__Output[] = [];
  const server = await startGrpcServer({
    services: [
      defineService<RegistryHandlers>(loadProto().Registry.service, {
        Register: (req) => {
          registers.push(req);
          const ok = script.accept(registers.length);
          return { accepted: ok, reason: ok ? '' : 'model mismatch', heartbeatIntervalSeconds: 0.02 };
        },
        Heartbeat: (req) => {
          heartbeats.push(req);
          return script.heartbeat(heartbeats.length);
        },
      }),
    ],
  });
  return { server, registers, heartbeats };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

let server: GrpcServer | undefined;
let registration: Registration | undefined;
afterEach(async () => {
  await registration?.stop();
  await server?.shutdown(0);
});

const LOAD = {
  numRunningSequences: 3,
  numWaitingSequences: 1,
  kvUsedBytes: 4096,
  kvCapacityBytes: 8192,
  prefillSecondsPerToken: 0.001,
  prefillFixedSeconds: 0.02,
  decodeStepSeconds: 0.002,
  prefillIntensityFlopsPerByte: 100,
  decodeIntensityFlopsPerByte: 1.5,
};

describe('Registration', () => {
  it('retries a refused Register, heartbeats with load, and follows DRAIN, RESUME and REREGISTER', async () => {
    const directive = (kind: string) => ({ acknowledged: true, directives: [{ kind: kind as never, reason: kind }] });
    // Each directive goes out once, and only after the test has seen the effect of the previous one,
    // so a slow machine (heartbeats bunching up behind a descheduled event loop) cannot skip a state.
    const sent = { drain: false, resume: false, reregister: false };
    const seen = { drain: false, resume: false };
    const router = await fakeRouter({
      accept: (n) => n >= 2, // refuse the first attempt
      heartbeat: (n) => {
        if (n >= 3 && !sent.drain) {
          sent.drain = true;
          return directive('DIRECTIVE_KIND_DRAIN');
        }
        if (seen.drain && !sent.resume) {
          sent.resume = true;
          return directive('DIRECTIVE_KIND_RESUME');
        }
        if (seen.resume && !sent.reregister) {
          sent.reregister = true;
          return directive('DIRECTIVE_KIND_REREGISTER');
        }
        return { acknowledged: true };
      },
    });
    server = router.server;
    registration = new Registration({
      routerAddress: router.server.address,
      request: { workerId: 'decode-7', role: 'WORKER_ROLE_DECODE', modelId: 'tiny-gqa' },
      load: () => LOAD,
      clock: realClock,
      log: silentLogger,
      retrySeconds: 0.02,
    });
    expect(registration.ready).toBe(false);
    registration.start();
    await until(() => registration?.ready === true, 'registration');
    expect(router.registers.map((r) => r.workerId)).toEqual(['decode-7', 'decode-7']);
    await until(() => registration?.draining === true, 'drain');
    expect(registration.ready).toBe(false);
    seen.drain = true;
    await until(() => sent.resume && registration?.draining === false, 'resume');
    expect(registration.ready).toBe(true);
    seen.resume = true;
    await until(() => router.registers.length === 3, 'second registration');
    await until(() => registration?.ready === true, 'ready again');
    expect(registration.registrations).toBe(2);
    const hb = router.heartbeats[0];
    expect(hb?.workerId).toBe('decode-7');
    expect(hb?.load).toEqual(LOAD);
    expect(hb?.sentAtUnixMs).toBeGreaterThan(1.7e12);
  });

  it('is not ready while the router is unreachable, and stops cleanly', async () => {
    registration = new Registration({
      routerAddress: '127.0.0.1:1',
      request: { workerId: 'p-0' },
      load: () => LOAD,
      clock: realClock,
      log: silentLogger,
      retrySeconds: 0.01,
      callTimeoutSeconds: 0.2,
    });
    registration.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(registration.ready).toBe(false);
  });

  it('gives up on a router silent for the grace period (once), not before', async () => {
    const router = await fakeRouter({ accept: () => true, heartbeat: () => ({ acknowledged: true }) });
    const address = router.server.address;
    const lost: number[] = [];
    registration = new Registration({
      routerAddress: address,
      request: { workerId: 'decode-1', grpcAddress: '127.0.0.1:5', wsAddress: 'ws://127.0.0.1:6' },
      load: () => LOAD,
      clock: realClock,
      log: silentLogger,
      retrySeconds: 0.02,
      callTimeoutSeconds: 0.2,
      routerGraceSeconds: 0.5,
      onRouterLost: (silent) => lost.push(silent),
    });
    registration.start();
    await until(() => router.heartbeats.length >= 2, 'heartbeats');
    // Heartbeats carry the addresses the worker serves on.
    expect(router.heartbeats[0]).toMatchObject({ grpcAddress: '127.0.0.1:5', wsAddress: 'ws://127.0.0.1:6' });
    expect(lost).toEqual([]);
    await router.server.shutdown(0); // the router dies
    await until(() => lost.length === 1, 'the grace period to run out');
    expect(lost[0]).toBeGreaterThanOrEqual(0.5);
    await new Promise((r) => setTimeout(r, 200));
    expect(lost).toHaveLength(1);
  });
});
