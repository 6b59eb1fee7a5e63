// The capacity wall as the scale-up domain grows: the largest decode batch B_max(L) a tensor-parallel domain of
// n devices holds at context L (weights once per domain, KV replicated where TP must: MLA's latent on every
// device, GQA heads beyond the KV-head count), per device and in total, from @oicf/core.
//
//   node --import tsx packages/explore/scripts/capacity-wall.ts --model deepseek-v3 --precision fp8 \
//     --domains b200:8,gb200:8,gb200:16,gb200:32,gb200:64 --contexts 16000,32000,64000,128000
import { parseArgs } from 'node:util';
import {
  batchMaxFromBytes,
  getDevice,
  getModel,
  getPrecision,
  kvBytesPerToken,
  shardPlan,
  unwrap,
  weightBytes,
} from '@oicf/core';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'deepseek-v3' },
    precision: { type: 'string', default: 'fp8' },
    domains: { type: 'string', default: 'b200:8,gb200:8,gb200:16,gb200:32,gb200:64' },
    contexts: { type: 'string', default: '16000,32000,64000,128000' },
  },
});
const model = unwrap(getModel(values.model));
const precision = unwrap(getPrecision(values.precision));
const contexts = values.contexts.split(',').map(Number);
const weights = weightBytes(model, precision);
const perToken = kvBytesPerToken(model, precision);

const header = `| domain | devices | weights per device | KV replication | ${contexts.map((c) => `B_max @ ${c / 1000}k`).join(' | ')} | ${contexts.map((c) => `per device @ ${c / 1000}k`).join(' | ')} |`;
const rule = `| --- | ---: | ---: | ---: | ${contexts.map(() => '---:').join(' | ')} | ${contexts.map(() => '---:').join(' | ')} |`;
const rows = values.domains.split(',').map((d) => {
  const [id = '', n = '1'] = d.split(':');
  const device = unwrap(getDevice(id));
  const numDevices = Number(n);
  const sharding = { numDevices, strategy: model.moe ? ('tensor+expert' as const) : ('tensor' as const) };
  const plan = shardPlan(model, device, numDevices > 1 ? sharding : undefined);
  const b = contexts.map((c) =>
    batchMaxFromBytes({
      weightBytes: weights,
      bytesPerRequest: c * perToken * plan.kvReplication,
      capacityBytes: numDevices * device.memoryCapacityBytes,
    }),
  );
  return `| ${id} ×${numDevices} | ${numDevices} | ${(weights / numDevices / 1e9).toFixed(1)} GB | ${plan.kvReplication.toFixed(0)}× | ${b.join(' | ')} | ${b.map((x) => (x / numDevices).toFixed(2)).join(' | ')} |`;
});
process.stdout.write(
  `${model.id} in ${values.precision}: weights ${(weights / 1e9).toFixed(1)} GB, KV ${perToken} B per token (one copy)\n\n${header}\n${rule}\n${rows.join('\n')}\n`,
);
