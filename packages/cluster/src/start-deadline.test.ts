import { describe, expect, it } from 'vitest';
import { graphBuildProgress, listeningEndpoints, StartDeadline } from './start-deadline.js';

describe('StartDeadline', () => {
  it('gives up on a silent service one timeout after its last output', () => {
    const d = new StartDeadline(60, 100);
    expect(d.check(0, 159.9)).toBeUndefined();
    expect(d.check(0, 160)).toBe('silent');
  });

  it('counts the timeout from the latest log output, not from the launch', () => {
    // Output at 150 s and 200 s (log grew): the service is silent from 200 s, so it is given until 260 s.
    const d = new StartDeadline(60, 100);
    expect(d.check(120, 150)).toBeUndefined();
    expect(d.check(240, 200)).toBeUndefined();
    expect(d.check(240, 259)).toBeUndefined();
    expect(d.check(240, 260)).toBe('silent');
  });

  it('does not count a log that did not grow as output', () => {
    const d = new StartDeadline(10, 0);
    expect(d.check(50, 5)).toBeUndefined();
    expect(d.check(50, 14)).toBeUndefined();
    expect(d.check(50, 15)).toBe('silent');
  });

  it('gives up on a service that keeps logging at capFactor × the timeout', () => {
    // Timeout 10 s, cap factor 3: the cap is at 0 + 30 s however often the log grows.
    const d = new StartDeadline(10, 0, 3);
    for (let t = 1; t < 30; t++) expect(d.check(t * 100, t)).toBeUndefined();
    expect(d.check(3000, 30)).toBe('capped');
    expect(d.message('decode-0', 'capped')).toBe('decode-0 was still logging but did not listen within 30 s');
    expect(d.message('decode-0', 'silent')).toBe('decode-0 did not listen: no log output for 10 s');
  });

  it('refuses a timeout that is not positive', () => {
    expect(() => new StartDeadline(0, 0)).toThrow(/start timeout must be > 0 s, got 0/);
    expect(() => new StartDeadline(Number.NaN, 0)).toThrow(/got NaN/);
  });
});

describe('listeningEndpoints', () => {
  it('finds the listening line among other log lines and ignores a partial last line', () => {
    const text = [
      '{"event":"building decode graphs","batch":1}',
      'not json',
      '{"event":"listening","endpoints":{"http":"127.0.0.1:1","grpc":"127.0.0.1:2"}}',
      '{"event":"listening","endp',
    ].join('\n');
    expect(listeningEndpoints(text)).toEqual({ http: '127.0.0.1:1', grpc: '127.0.0.1:2' });
    expect(listeningEndpoints('{"event":"listening","endp')).toBeUndefined();
    expect(listeningEndpoints('{"event":"listening","endpoints":{}}')).toBeUndefined();
  });
});

describe('graphBuildProgress', () => {
  it('reports the latest batch built of how many, skipping other and partial lines', () => {
    const text = [
      '{"msg":"building decode graphs","batches":"1…16"}',
      '{"msg":"decode graphs built","batch":1,"of":16}',
      '{"msg":"decode graphs built","batch":2,"of":16}',
      '{"msg":"decode graphs built","bat',
    ].join('\n');
    expect(graphBuildProgress(text)).toBe('2/16');
    expect(graphBuildProgress('{"msg":"listening"}')).toBeUndefined();
    expect(graphBuildProgress('{"msg":"decode graphs built","batch":"x","of":16}')).toBeUndefined();
  });
});
