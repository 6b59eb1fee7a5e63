import { readFileSync } from 'node:fs';
import { unwrap } from '@oicf/core';
import { enumerateConfigurations, parseSpace, profileWorkload, screenAll, screenContext, simulateConfiguration, topCandidates, workflowWorkload } from '@oicf/explore';
const space = unwrap(parseSpace(JSON.parse(readFileSync('spaces/example.json', 'utf8'))));
const wl = workflowWorkload({ workflow: 'coding', sessionsPerSecond: 0.2, durationSeconds: 600, seed: 1, maxContextTokens: 131072 - 1500 });
const profile = profileWorkload(wl.requests);
const configs = enumerateConfigurations(space);
const slo = { ttftSeconds: 5, tpotSeconds: 0.1 };
const ctx = screenContext(space, profile, slo);
const screened = screenAll(configs, ctx);
const top = topCandidates(screened, 'goodputPerUsd', Number(process.argv[2] ?? 3));
for (const s of top) {
  const c = configs[s.index]!;
  const t0 = performance.now();
  const o = simulateConfiguration(c, s, { space, models: ctx.models, requests: wl.requests, loop: 'closed', slo, seed: 1 });
  console.log(c.id, 'screen', s.objectives.goodputRps.toFixed(2), 'sim', JSON.stringify(o && { ...o, kv: o.kvTierShares }), ((performance.now() - t0)/1000).toFixed(1), 's');
}
