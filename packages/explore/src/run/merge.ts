// Joining shard files into the result an unsharded run writes. Every shard screened its slice (index mod N)
// and simulated its slice's best `simulateTop`; the global best `simulateTop` are each in their shard's best,
// so the merge keeps exactly the twin runs an unsharded run would have made and drops the rest.
import { topCandidates } from '../rank/rank.js';
import type { ExploreResultFile } from './result-file.js';

export type MergeResult =
  | { readonly ok: true; readonly file: ExploreResultFile }
  | { readonly ok: false; readonly error: string };

export function mergeShards(files: readonly ExploreResultFile[], command: string): MergeResult {
  const first = files[0];
  if (first === undefined) return { ok: false, error: 'no shard files given' };
  const count = first.shard?.count;
  if (count === undefined) return { ok: false, error: 'the first file is not a shard (it has no "shard" field)' };
  const seen = new Map<number, number>();
  for (const [i, f] of files.entries()) {
    const where = `file ${i + 1}`;
    if (f.shard === null) return { ok: false, error: `${where} is not a shard` };
    if (f.shard.count !== count)
      return { ok: false, error: `${where} is shard ${f.shard.index}/${f.shard.count}, others are of ${count}` };
    if (f.space.fingerprint !== first.space.fingerprint)
      return { ok: false, error: `${where} explored another space (${f.space.name})` };
    if (f.workload.fingerprint !== first.workload.fingerprint)
      return { ok: false, error: `${where} used another workload` };
    if (
      f.objective !== first.objective ||
      f.simulateTop !== first.simulateTop ||
      JSON.stringify(f.slo) !== JSON.stringify(first.slo)
    ) {
      return { ok: false, error: `${where} ranked with other settings (objective, --simulate-top or SLOs differ)` };
    }
    if (seen.has(f.shard.index)) return { ok: false, error: `shard ${f.shard.index}/${count} given twice` };
    seen.set(f.shard.index, i);
  }
  const missing = [...Array(count).keys()].filter((k) => !seen.has(k));
  if (missing.length > 0)
    return {
      ok: false,
      error: `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')}`,
    };
  const screened = files.flatMap((f) => f.screened).sort((a, b) => a.index - b.index);
  for (let i = 1; i < screened.length; i++) {
    if (screened[i]?.index === screened[i - 1]?.index)
      return { ok: false, error: `configuration ${screened[i]?.index} is in two shards` };
  }
  const wanted = topCandidates(screened, first.objective, first.simulateTop);
  const sims = new Map(files.flatMap((f) => f.simulated).map((s) => [s.index, s]));
  const simulated = [];
  for (const c of wanted) {
    const s = sims.get(c.index);
    if (s !== undefined) simulated.push(s);
  }
  const interrupted = files.some((f) => f.interrupted) || simulated.length < wanted.length;
  return {
    ok: true,
    file: {
      ...first,
      command,
      shard: null,
      interrupted,
      screened,
      simulated,
    },
  };
}
