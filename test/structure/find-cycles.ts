/**
 * Cycles of a directed graph, pure (no I/O): the strongly connected components with more than one
 * node (or a node that points at itself). Each is reported by its members and by one path a reader can
 * follow: the shortest cycle through its smallest member (other cycles of the component share members).
 *
 * A graph is `Map<node, targets>`; targets that are not keys are leaves. Node order is the caller's:
 * components come out sorted by their first node, and each path starts at the component's smallest
 * node, so the report is stable from run to run.
 */

export type Graph = ReadonlyMap<string, readonly string[]>;

export interface Cycle {
  /** Every node of the strongly connected component, sorted. */
  readonly members: readonly string[];
  /** One closed walk inside the component, first node repeated at the end: a → b → a. */
  readonly path: readonly string[];
}

/** Every import cycle of `graph`, one entry per strongly connected component. */
export function findCycles(graph: Graph): Cycle[] {
  const cycles: Cycle[] = [];
  for (const component of stronglyConnected(graph)) {
    const [only] = component;
    const selfLoop = component.length === 1 && only !== undefined && (graph.get(only) ?? []).includes(only);
    if (component.length < 2 && !selfLoop) continue;
    const members = [...component].sort();
    cycles.push({ members, path: shortestCycle(graph, members) });
  }
  return cycles.sort((a, b) => (a.members[0] ?? '').localeCompare(b.members[0] ?? ''));
}

/** `a → b → a` for a report. */
export function formatCycle(cycle: Cycle): string {
  return cycle.path.join(' → ');
}

/** Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack. */
function stronglyConnected(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; edge: number }[] = [{ node: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; edge: number };
      const targets = graph.get(frame.node) ?? [];
      if (frame.edge < targets.length) {
        const target = targets[frame.edge++] as string;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(target) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** The shortest closed walk from the component's first node back to itself, staying inside it (BFS). */
function shortestCycle(graph: Graph, members: readonly string[]): string[] {
  const start = members[0] as string;
  const inside = new Set(members);
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const target of graph.get(node) ?? []) {
      if (!inside.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = parent.get(at)) path.push(at);
        path.push(start);
        return path.reverse();
      }
      if (parent.has(target)) continue;
      parent.set(target, node);
      queue.push(target);
    }
  }
  return [start, start];
}
