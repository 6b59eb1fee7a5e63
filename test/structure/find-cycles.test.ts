import { describe, expect, it } from 'vitest';
import { findCycles, formatCycle, type Graph } from './find-cycles.js';

const graph = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges));

describe('findCycles', () => {
  it('finds nothing in a DAG, however shared its leaves', () => {
    // a → b → d, a → c → d: a diamond, no cycle.
    expect(findCycles(graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([]);
  });

  it('reports a two-file cycle (the shape of resolve-inputs ↔ this-machine-source) as a path', () => {
    const cycles = findCycles(graph({ x: ['y', 'z'], y: ['x'], z: [] }));
    expect(cycles).toEqual([{ members: ['x', 'y'], path: ['x', 'y', 'x'] }]);
    expect(formatCycle(cycles[0] as (typeof cycles)[0])).toBe('x → y → x');
  });

  it('reports a three-file cycle entered from outside, starting at its smallest member', () => {
    // main → p → q → r → p: main is outside the cycle; the path starts at p.
    const cycles = findCycles(graph({ main: ['p'], p: ['q'], q: ['r'], r: ['p'] }));
    expect(cycles).toEqual([{ members: ['p', 'q', 'r'], path: ['p', 'q', 'r', 'p'] }]);
  });

  it('reports a self-import and two separate cycles separately, sorted', () => {
    const cycles = findCycles(graph({ s: ['s'], m: ['n'], n: ['m'], a: ['b'], b: ['a'] }));
    expect(cycles.map(formatCycle)).toEqual(['a → b → a', 'm → n → m', 's → s']);
  });

  it('gives the shortest cycle through the first member when the component has several', () => {
    // a → b → c → a and a → c → a: one component {a, b, c}; the shortest path through a is a → c → a.
    const cycles = findCycles(graph({ a: ['b', 'c'], b: ['c'], c: ['a'] }));
    expect(cycles).toEqual([{ members: ['a', 'b', 'c'], path: ['a', 'c', 'a'] }]);
  });

  it('fails a graph that gains one back edge (a new cycle is caught)', () => {
    const before = { cli: ['core'], core: ['units'], units: [] as string[] };
    expect(findCycles(graph(before))).toEqual([]);
    expect(findCycles(graph({ ...before, units: ['cli'] })).map(formatCycle)).toEqual(['cli → core → units → cli']);
  });

  it('walks a long chain without overflowing the stack', () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 20_000; i++) edges[`n${i}`] = [`n${i + 1}`];
    edges.n20000 = ['n0'];
    const [cycle] = findCycles(graph(edges));
    expect(cycle?.members).toHaveLength(20_001);
    expect(cycle?.path).toHaveLength(20_002);
  });
});
