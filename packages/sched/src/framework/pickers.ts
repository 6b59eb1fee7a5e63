import type { Picker, ScoredWorker } from './plugins.js';

/** Highest score; ties go to the less loaded worker, then the smaller id (deterministic). */
export const maxScorePicker: Picker = {
  name: 'max-score',
  pick(candidates) {
    let best = candidates[0] as ScoredWorker;
    for (const c of candidates.slice(1)) {
      if (c.score > best.score || (c.score === best.score && tieBreak(c, best) < 0)) best = c;
    }
    return best;
  },
};

function tieBreak(a: ScoredWorker, b: ScoredWorker): number {
  const la = a.worker.numRunning + a.worker.numWaiting;
  const lb = b.worker.numRunning + b.worker.numWaiting;
  if (la !== lb) return la - lb;
  return a.worker.workerId < b.worker.workerId ? -1 : a.worker.workerId > b.worker.workerId ? 1 : 0;
}

/** Cycles through candidates in id order, ignoring scores. Holds its own counter. */
export function roundRobinPicker(): Picker {
  let next = 0;
  return {
    name: 'round-robin',
    pick(candidates) {
      const sorted = [...candidates].sort((a, b) => (a.worker.workerId < b.worker.workerId ? -1 : 1));
      const chosen = sorted[next % sorted.length] as ScoredWorker;
      next += 1;
      return chosen;
    },
  };
}
