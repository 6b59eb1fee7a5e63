// The normaliser against protobufjs itself: for every frame kind's message, bodies with every field absent,
// every field at its default, and every field set (nested messages, repeated fields, enums by name and by
// number, oneof members, bytes), normalizePlan gives what toObject(fromObject(body)) gives, keys in the
// same order, bytes fields as the same Buffer objects.
import { loadProtoRoot } from '@oicf/proto';
import { describe, expect, it } from 'vitest';
import { checkMessage } from './body-check.js';
import { normalizePlan } from './body-normalize.js';
import { type MessagePlan, type MessageType, planOf } from './body-plan.js';
import { FRAME_KINDS } from './frame-kinds.js';
import { bodyOf } from './testing/body-samples.js';

const OPTIONS = { longs: Number, enums: String, defaults: true, oneofs: true } as const;
type Body = Record<string, unknown>;

/** Keys of every nested object in order, for comparing key order (toStrictEqual ignores it). */
function keyOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keyOrder);
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return typeof v;
  return Object.entries(v as Body).map(([k, x]) => [k, keyOrder(x)]);
}

const root = loadProtoRoot();
const messages = [...new Set(Object.values(FRAME_KINDS).map((k) => k.message))];

describe('normalizePlan', () => {
  it.each(messages)('%s: as protobufjs toObject(fromObject(body)) for empty, default and set bodies', (name) => {
    const type: MessageType = root.lookupType(`oicf.v1.${name}`);
    const plan = planOf(type);
    const seed = { n: 0 };
    for (const body of [{}, bodyOf(plan, 0, 0, seed), bodyOf(plan, 1, 0, seed), bodyOf(plan, 1, 0, seed)]) {
      expect(checkMessage(type, body, 'body')).toBeUndefined();
      const theirs = type.toObject(type.fromObject(body), OPTIONS);
      const ours = normalizePlan(plan, body);
      expect(ours).toStrictEqual(theirs);
      expect(keyOrder(ours)).toEqual(keyOrder(theirs));
    }
  });

  it('keeps a non-empty bytes field as the same Buffer (zero copy)', () => {
    const type: MessageType = root.lookupType('oicf.v1.KvBlock');
    const bytes = bytesFieldOf(planOf(type));
    const payload = Buffer.from([1, 2, 3]);
    const out = normalizePlan(planOf(type), { [bytes]: payload });
    expect(out[bytes]).toBe(payload);
  });
});

function bytesFieldOf(plan: MessagePlan): string {
  const f = plan.fields.find((x) => x.type === 'bytes' && !x.repeated);
  if (f === undefined) throw new Error(`${plan.name} has no bytes field`);
  return f.name;
}
