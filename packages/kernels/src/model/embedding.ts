import { attr } from '../onnx/graph.js';
import { type ModelContext, quantizeBlocks } from './linear.js';
import { toFloat16 } from './weights.js';

/**
 * Token embedding lookup: tokens int64 [n] → [n, hidden] fp32. The table is stored in the
 * weight precision (int8 with one scale per row); only the n gathered rows are read.
 */
export function embed(ctx: ModelContext, tokens: string): string {
  const { b, w, config: c } = ctx;
  const name = 'embed';
  const master = () => w.embedding(name, c.vocabSize, c.hiddenSize);
  const dims = [c.vocabSize, c.hiddenSize];
  return b.scope('embed', () => {
    switch (c.weights) {
      case 'fp32':
        return b.op1('Gather', [b.initializer(`${name}.weight`, 'float32', dims, master()), tokens], {
          name: 'gather',
        });
      case 'fp16': {
        const table = b.initializer(
          `${name}.weight`,
          'float16',
          dims,
          w.derived(`${name}|fp16`, () => toFloat16(master())),
        );
        return b.op1('Cast', [b.op1('Gather', [table, tokens], { name: 'gather' })], {
          name: 'to_float',
          attrs: { to: attr.int(1) },
        });
      }
      case 'int8': {
        const q = w.derived(`${name}|int8-rows`, () => quantizeBlocks(master(), c.vocabSize));
        const table = b.initializer(`${name}.weight`, 'int8', dims, q.values);
        const scales = b.initializer(`${name}.scale`, 'float32', [c.vocabSize, 1], q.scales);
        const rows = b.op1('Cast', [b.op1('Gather', [table, tokens], { name: 'gather' })], {
          name: 'to_float',
          attrs: { to: attr.int(1) },
        });
        return b.op1('Mul', [rows, b.op1('Gather', [scales, tokens], { name: 'gather_scale' })], {
          name: 'dequantize',
        });
      }
    }
  });
}
