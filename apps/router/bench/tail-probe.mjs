// A diagnostic preload for the router bench's child processes (round 8, issue 11: what sets the router's tail).
// Loaded with `BENCH_CHILD_NODE_ARGS="--import <abs path>/tail-probe.mjs"` and `TAIL_PROBE_DIR=<dir>`; without
// TAIL_PROBE_DIR it does nothing. It records, on CLOCK_MONOTONIC in ms (process.hrtime, the clock every process
// on the host shares, so the client's send times and these line up):
// - every GC pause of the main thread (PerformanceObserver 'gc': start, duration, kind),
// - every chunk a TCP socket reads (Readable.push) and every write call (Socket.write / _writev), with the
//   socket's ports, so the analysis can tell the HTTP connections from the request-plane WebSocket,
// - the event loop's delay histogram (monitorEventLoopDelay, 10 ms resolution: its own timer wakes the loop
//   100 times a second, so a probed run is not a judged run).
// Written to <dir>/probe-<pid>.json at exit (SIGTERM → the services' own shutdown → process exit).
import { writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

const DIR = process.env.TAIL_PROBE_DIR;
if (DIR !== undefined && DIR !== '') {
  const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
  // performance.now() and hrtime share one clock: the offset maps PerformanceEntry times to CLOCK_MONOTONIC.
  const offsetMs = nowMs() - performance.now();
  const MAX = 4_000_000;
  const ev = new Float64Array(MAX * 4); // t, socket id, dir (0 read / 1 write), bytes
  let n = 0;
  const gc = [];
  const sockets = [];
  const ids = new WeakMap();
  const idOf = (s) => {
    let id = ids.get(s);
    if (id === undefined) {
      id = sockets.length;
      ids.set(s, id);
      sockets.push({ id, localPort: s.localPort, remotePort: s.remotePort, inbound: s.server != null });
    }
    return id;
  };
  const rec = (s, dir, bytes) => {
    if (n >= MAX) return;
    const i = n++ * 4;
    ev[i] = nowMs();
    ev[i + 1] = idOf(s);
    ev[i + 2] = dir;
    ev[i + 3] = bytes;
  };
  // TAIL_PROBE_SNAPSHOT_READS=<n>: one heap snapshot once inbound sockets have delivered n chunks (what holds
  // the first requests' objects under load, e.g. during a cold start).
  const snapReads = Number(process.env.TAIL_PROBE_SNAPSHOT_READS ?? '');
  let inboundReads = 0;
  const push = Readable.prototype.push;
  Socket.prototype.push = function (chunk, enc) {
    if (chunk != null) rec(this, 0, chunk.length);
    if (chunk != null && snapReads > 0 && this.server != null && ++inboundReads === snapReads)
      setImmediate(() => writeHeapSnapshot(`${DIR}/heap-reads-${process.pid}.heapsnapshot`));
    return push.call(this, chunk, enc);
  };
  const write = Socket.prototype.write;
  Socket.prototype.write = function (chunk, enc, cb) {
    rec(this, 1, chunk?.length ?? 0);
    return write.call(this, chunk, enc, cb);
  };
  new PerformanceObserver((list) => {
    // The young and old generations' use when the entry is delivered (just after the pause; the survivors of
    // a scavenge plus what was allocated since).
    const spaces = getHeapSpaceStatistics();
    const used = (name) => (spaces.find((x) => x.space_name === name)?.space_used_size ?? 0) / 1024;
    const size = (name) => (spaces.find((x) => x.space_name === name)?.space_size ?? 0) / 1024;
    for (const e of list.getEntries())
      gc.push({
        t: e.startTime + offsetMs,
        ms: e.duration,
        kind: e.detail?.kind ?? e.kind,
        newUsedKiB: used('new_space'),
        newSizeKiB: size('new_space'),
        oldUsedKiB: used('old_space'),
      });
  }).observe({ entryTypes: ['gc'] });
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  // TAIL_PROBE_SNAPSHOT_S=<s>: one heap snapshot <s> seconds after start (what stays alive under load).
  const snapAt = Number(process.env.TAIL_PROBE_SNAPSHOT_S ?? '');
  if (snapAt > 0) setTimeout(() => writeHeapSnapshot(`${DIR}/heap-${process.pid}.heapsnapshot`), snapAt * 1000).unref();
  // TAIL_PROBE_SAMPLE_S=<s>: sample allocations for 2 s from <s> s after start; what is still alive at the end
  // (allocated in those 2 s, not yet collected: in-flight requests plus whatever lives longer) with its stack.
  const sampleAt = Number(process.env.TAIL_PROBE_SAMPLE_S ?? '');
  if (sampleAt > 0)
    setTimeout(async () => {
      const { Session } = await import('node:inspector');
      const session = new Session();
      session.connect();
      const post = (m, p) => new Promise((res, rej) => session.post(m, p, (e, r) => (e ? rej(e) : res(r))));
      // Objects a major GC collected stay in the profile: what survived scavenges, even if it died later in the old space.
      await post('HeapProfiler.startSampling', {
        samplingInterval: 256,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: process.env.TAIL_PROBE_SAMPLE_ALL === '1',
      });
      await new Promise((r) => setTimeout(r, 2000));
      const { profile } = await post('HeapProfiler.stopSampling');
      writeFileSync(`${DIR}/alloc-${process.pid}.heapprofile`, JSON.stringify(profile));
    }, sampleAt * 1000).unref();
  process.on('exit', () => {
    const events = [];
    for (let i = 0; i < n * 4; i += 4) events.push([ev[i], ev[i + 1], ev[i + 2], ev[i + 3]]);
    const q = (p) => eld.percentile(p) / 1e6;
    writeFileSync(
      `${DIR}/probe-${process.pid}.json`,
      JSON.stringify({
        pid: process.pid,
        argv: process.argv.slice(1),
        gc,
        sockets: sockets.map((s) => ({ ...s })),
        eventLoopDelayMs: { p50: q(50), p99: q(99), p999: q(99.9), max: eld.max / 1e6 },
        events,
      }),
    );
  });
}
