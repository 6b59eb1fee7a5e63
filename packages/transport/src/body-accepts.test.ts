// The generated predicate (body-accepts.ts) against the reference walk (checkPlan): for every frame kind's
// message, valid bodies (fields absent, at defaults, set) and the same bodies broken one field at a time —
// each field, at the top and inside nested messages and repeated elements, given each kind of wrong value
// (a wrong type, a fraction, a negative, an out-of-range number, an unknown enum name or number, a null
// element, a non-array), plus an unknown key and two members of one oneof — the two must agree on every
// body. The predicate accepting one body the walk refuses would let a bad frame through unnamed.
import { loadProtoRoot } from '@oicf/proto';
import { describe, expect, it } from 'vitest';
import { acceptsOf } from './body-accepts.js';
import { checkPlan } from './body-check.js';
import { type FieldPlan, type MessagePlan, planOf } from './body-plan.js';
import { FRAME_KINDS } from './frame-kinds.js';
import { bodyOf } from './testing/body-samples.js';

type Body = Record<string, unknown>;

/** Values each wrong for some field type (and right for others: the walk decides which). */
const WRONG: readonly unknown[] = [
  'text',
  1.5,
  -1,
  2 ** 32,
  2 ** 31,
  2 ** 53,
  Number.NaN,
  true,
  {},
  [],
  [1],
  Buffer.from([1]),
  'FINISH_REASON_NOT_A_NAME',
  987654,
  null,
];

/** `body` broken one field at a time (recursing into set nested messages and first repeated elements). */
function broken(plan: MessagePlan, body: Body, depth: number): Body[] {
  const out: Body[] = [{ ...body, notAField: 1 }];
  for (const f of plan.fields) {
    const v = body[f.name];
    if (f.repeated) {
      out.push({ ...body, [f.name]: 5 }, { ...body, [f.name]: 'x' }, { ...body, [f.name]: [null] });
      for (const w of WRONG) out.push({ ...body, [f.name]: [w] });
      if (Array.isArray(v) && v.length > 0) {
        for (const w of WRONG) out.push({ ...body, [f.name]: [v[0], w] });
        if (f.isMessage && depth < 3) {
          for (const inner of broken(f.message(), v[0] as Body, depth + 1)) out.push({ ...body, [f.name]: [inner] });
        }
      }
      continue;
    }
    if (f.map) {
      out.push({ ...body, [f.name]: {} });
      continue;
    }
    for (const w of WRONG) out.push({ ...body, [f.name]: w });
    if (f.isMessage && depth < 3 && typeof v === 'object' && v !== null) {
      for (const inner of broken(f.message(), v as Body, depth + 1)) out.push({ ...body, [f.name]: inner });
    }
  }
  for (const o of plan.oneofs) {
    if (o.members.length < 2) continue;
    const two: Body = { ...body };
    for (const name of o.members.slice(0, 2)) {
      const f = plan.byName.get(name) as FieldPlan;
      const sample = bodyOf({ ...plan, fields: [f] } as MessagePlan, 1, depth + 1, { n: 3 });
      two[name] = sample[name];
    }
    out.push(two, { ...body, [o.name]: 'notAMember' });
  }
  return out;
}

const root = loadProtoRoot();
const messages = [...new Set(Object.values(FRAME_KINDS).map((k) => k.message))];

describe('acceptsOf (the body check fast path)', () => {
  it.each(messages)('%s: agrees with the reference walk on valid bodies and each one-field break', (name) => {
    const plan = planOf(root.lookupType(`oicf.v1.${name}`));
    const accepts = acceptsOf(plan);
    const seed = { n: 0 };
    const valid = [{}, bodyOf(plan, 0, 0, seed), bodyOf(plan, 1, 0, seed)];
    let numRefused = 0;
    for (const body of valid) {
      expect(accepts(body)).toBe(true);
      for (const bad of broken(plan, body, 0)) {
        const reference = checkPlan(plan, bad, 'body') === undefined;
        if (accepts(bad) !== reference) {
          throw new Error(
            `${name}: predicate ${accepts(bad)}, reference ${reference} for ${String(JSON.stringify(bad))}`,
          );
        }
        if (!reference) numRefused++;
      }
    }
    // Every break made above that names a field is refused (an unknown key at least, per valid body).
    expect(numRefused).toBeGreaterThanOrEqual(valid.length);
  });

  it('refuses a non-object body, as the walk does', () => {
    const accepts = acceptsOf(planOf(root.lookupType('oicf.v1.DecodeStep')));
    for (const v of [null, undefined, 3, 'x', [], Buffer.from([1])]) expect(accepts(v)).toBe(false);
  });
});
