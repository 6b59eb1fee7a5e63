import { readFileSync } from 'node:fs';
import { unwrap } from '@oicf/core';
import { enumerateConfigurations, parseSpace, profileWorkload, screenConfiguration, screenContext, workflowWorkload } from '@oicf/explore';
const space = unwrap(parseSpace(JSON.parse(readFileSync('spaces/example.json', 'utf8'))));
const wl = workflowWorkload({ workflow: 'coding', sessionsPerSecond: 0.2, durationSeconds: 600, seed: 1, maxContextTokens: 131072 - 1500 });
const profile = profileWorkload(wl.requests);
console.log(profile.bins.map(b => [b.share.toFixed(3), Math.round(b.inputTokens), Math.round(b.reusableTokens), Math.round(b.outputTokens)].join(' ')).join('\n'));
const ctx = screenContext(space, profile, { ttftSeconds: 5, tpotSeconds: 0.1 });
for (const id of process.argv.slice(2)) {
  const c = enumerateConfigurations(space).find(c => c.id === id)!;
  const r = screenConfiguration(c, ctx);
  console.log(JSON.stringify({ ...r, plane: undefined }, null, 1));
  const m = ctx.models.get(c.decode[0]!.deviceId, c.decode[0]!.tp);
  console.log(profile.bins.map((b, i) => m.prefillSeconds(i, b, r.estimate!.prefixHitFraction).toFixed(3)).join(' '));
}
import { hitFraction } from '@oicf/explore';
console.log('hit at 635k', hitFraction(profile.reuse, 635000), 'held total', profile.reuse.cumulativeHeldTokens.at(-1), 'dur', profile.durationSeconds);
const h = profile.reuse.cumulativeHeldTokens; console.log([0.1,0.25,0.5,0.75,0.9].map(q=>Math.round(h[Math.floor(q*h.length)]!)));
