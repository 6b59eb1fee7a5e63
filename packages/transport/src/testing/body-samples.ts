// Sample bodies of an oicf.v1 message for tests of the body check and normaliser: every field (one member
// per oneof, no maps) absent, at its default, or set, nested messages to a few levels.
import type { MessagePlan } from '../body-plan.js';

type Body = Record<string, unknown>;

/** A value of every field of `plan`: `variant` 0 = defaults (0, '', false, first enum value), 1 = set. */
export function bodyOf(plan: MessagePlan, variant: 0 | 1, depth: number, seed: { n: number }): Body {
  const body: Body = {};
  const taken = new Set<string>();
  for (const f of plan.fields) {
    if (f.map) continue;
    if (f.partOf !== undefined) {
      if (taken.has(f.partOf)) continue; // one member per oneof
      taken.add(f.partOf);
    }
    const one = () => fieldValue(f, variant, depth, seed);
    if (f.repeated) body[f.name] = variant === 0 ? [] : [one(), one()];
    else body[f.name] = one();
  }
  return body;
}

function fieldValue(f: MessagePlan['fields'][number], variant: 0 | 1, depth: number, seed: { n: number }): unknown {
  seed.n += 1;
  if (f.isMessage) return depth > 3 ? {} : bodyOf(f.message(), variant, depth + 1, seed);
  if (f.enumType !== undefined) {
    const names = Object.keys(f.enumType.values);
    if (variant === 0) return seed.n % 2 === 0 ? names[0] : f.enumType.values[names[0] as string];
    const name = names[seed.n % names.length] as string;
    return seed.n % 2 === 0 ? name : f.enumType.values[name]; // by name and by number
  }
  switch (f.type) {
    case 'string':
      return variant === 0 ? '' : `s${seed.n}`;
    case 'bool':
      return variant === 1;
    case 'bytes':
      return variant === 0 ? Buffer.alloc(0) : Buffer.from([seed.n & 255, 7]);
    case 'double':
    case 'float':
      return variant === 0 ? -0 : seed.n + 0.25;
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return variant === 0 ? -0 : -seed.n;
    default:
      return variant === 0 ? 0 : seed.n; // unsigned
  }
}
