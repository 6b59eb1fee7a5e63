import { describe, expect, it } from 'vitest';
import type { TraceRequest } from '../types.js';
import { parseWindow, sortByArrival, windowRequests } from './window.js';

const at = (requestId: string, arrivalSeconds: number): TraceRequest => ({
  requestId,
  arrivalSeconds,
  inputTokens: 1,
  outputTokens: 1,
});
const TRACE = [at('c', 20), at('a', 0), at('b', 10), at('b2', 10), at('d', 30)];

describe('windowRequests', () => {
  const cases: [string, Parameters<typeof windowRequests>[1], string[], number[]][] = [
    ['everything, in arrival order', {}, ['a', 'b', 'b2', 'c', 'd'], [0, 10, 10, 20, 30]],
    ['start inclusive, end exclusive', { startSeconds: 10, endSeconds: 30 }, ['b', 'b2', 'c'], [10, 10, 20]],
    ['rebased', { startSeconds: 10, endSeconds: 30, rebase: true }, ['b', 'b2', 'c'], [0, 0, 10]],
    ['first n', { maxRequests: 2 }, ['a', 'b'], [0, 10]],
    ['window then first n', { startSeconds: 15, maxRequests: 1 }, ['c'], [20]],
    ['empty window', { startSeconds: 31 }, [], []],
  ];
  it.each(cases)('%s', (_name, window, ids, arrivals) => {
    const got = windowRequests(TRACE, window);
    expect(got.map((r) => r.requestId)).toEqual(ids);
    expect(got.map((r) => r.arrivalSeconds)).toEqual(arrivals);
  });

  it.each([
    [{ startSeconds: -1 }, /0 ≤ start < end, got -1:Infinity/],
    [{ startSeconds: 5, endSeconds: 5 }, /got 5:5/],
    [{ maxRequests: 0 }, /maxRequests must be an integer ≥ 1, got 0/],
  ])('rejects %j', (window, message) => {
    expect(() => windowRequests(TRACE, window)).toThrow(message);
  });

  it('sortByArrival keeps ties in input order', () => {
    expect(sortByArrival([at('x', 1), at('y', 0), at('z', 1)]).map((r) => r.requestId)).toEqual(['y', 'x', 'z']);
  });
});

describe('parseWindow', () => {
  it.each([
    ['60:600', { startSeconds: 60, endSeconds: 600 }],
    [':600', { endSeconds: 600 }],
    ['60:', { startSeconds: 60 }],
    [' 0.5 : 1.5 ', { startSeconds: 0.5, endSeconds: 1.5 }],
  ])('parses %j', (text, window) => {
    expect(parseWindow(text)).toEqual({ ok: true, window });
  });
  it.each([
    ['60', /start:end/],
    ['a:10', /start must be a number ≥ 0, got 'a'/],
    ['5:-1', /end must be a number ≥ 0, got '-1'/],
    ['10:5', /end \(5\) must be after its start \(10\)/],
  ])('rejects %j', (text, message) => {
    const result = parseWindow(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});
