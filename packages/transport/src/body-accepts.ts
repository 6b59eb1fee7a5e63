// The body check's fast path: per message type, a predicate generated once from its plan (body-plan.ts)
// that answers "does this body conform?" with the field names as literals, so a conforming body costs one
// pass of monomorphic property reads (no walk over the plan's field lists, no Map lookup per key, no path
// strings). It accepts exactly what checkPlan (body-check.ts) accepts, or less: checkMessage asks it first
// and, only when it says no, runs checkPlan, which finds the problem and names its field. A body it wrongly
// refused would still be judged by checkPlan; one it wrongly accepted would not, which body-accepts.test.ts
// guards against for every frame kind's message, with bodies broken one field at a time.
//
// The generated source holds only names read from the .proto files (as JSON string literals) and the
// plan's shape; nothing a peer sends reaches it.
import type { FieldPlan, MessagePlan } from './body-plan.js';

type Accepts = (value: unknown) => boolean;

const compiled = new WeakMap<MessagePlan, Accepts>();

/** The conformance predicate of `plan`, generated on first use. */
export function acceptsOf(plan: MessagePlan): Accepts {
  let fn = compiled.get(plan);
  if (fn === undefined) {
    fn = compile(plan);
    compiled.set(plan, fn);
  }
  return fn;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

/** The condition that value `y` of scalar `type` conforms (checkScalar's rules), as source. */
function scalarOk(type: string, y: string): string {
  switch (type) {
    case 'double':
    case 'float':
      return `typeof ${y} === 'number'`;
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return `(Number.isInteger(${y}) && ${y} >= ${INT32_MIN} && ${y} <= ${INT32_MAX})`;
    case 'uint32':
    case 'fixed32':
      return `(Number.isInteger(${y}) && ${y} >= 0 && ${y} <= ${UINT32_MAX})`;
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return `Number.isSafeInteger(${y})`;
    case 'uint64':
    case 'fixed64':
      return `(Number.isSafeInteger(${y}) && ${y} >= 0)`;
    case 'bool':
      return `typeof ${y} === 'boolean'`;
    case 'string':
      return `typeof ${y} === 'string'`;
    case 'bytes':
      return `${y} instanceof U8`;
    default:
      return 'false'; // an unsupported type: checkPlan names it
  }
}

function compile(plan: MessagePlan): Accepts {
  const nested: Accepts[] = [];
  const enums: Array<{ values: object; valuesById: object }> = [];
  /** The condition that one value `y` of `f` conforms (checkValue's rules), as source. */
  const valueOk = (f: FieldPlan, y: string): string => {
    if (f.isMessage) {
      const i = nested.length;
      // Resolved on first call, so recursive message types compile.
      nested.push((v) => {
        const fn = acceptsOf(f.message());
        nested[i] = fn;
        return fn(v);
      });
      return `A[${i}](${y})`;
    }
    if (f.enumType !== undefined) {
      const i = enums.length;
      enums.push(f.enumType);
      return `(typeof ${y} === 'string' ? hasOwn(E[${i}].values, ${y}) : typeof ${y} === 'number' && hasOwn(E[${i}].valuesById, ${y}))`;
    }
    return scalarOk(f.type, y);
  };
  const lines: string[] = [];
  lines.push("if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof U8) return false;");
  // Unknown keys: every own key must be a field, or a oneof's virtual field naming one of its members.
  lines.push('for (const k in v) {', 'if (!hasOwn(v, k)) continue;', 'switch (k) {');
  for (const f of plan.fields) lines.push(`case ${JSON.stringify(f.name)}:`);
  if (plan.fields.length > 0) lines.push('continue;');
  for (const o of plan.oneofs) {
    const members = o.members.map((m) => `x === ${JSON.stringify(m)}`).join(' || ');
    lines.push(
      `case ${JSON.stringify(o.name)}: { const x = v[k]; if (x === undefined || ${members || 'false'}) continue; break; }`,
    );
  }
  // What checkPlan also lets through (a key the type's reflection answers for, e.g. an inherited name):
  // its own judgement, not repeated here.
  lines.push('}', 'return false;', '}');
  lines.push('let x;');
  for (const f of plan.fields) {
    lines.push(`x = v[${JSON.stringify(f.name)}];`, 'if (x !== undefined && x !== null) {');
    if (f.repeated) {
      lines.push('if (!Array.isArray(x)) return false;');
      lines.push(`for (let i = 0; i < x.length; i++) { const y = x[i]; if (!(${valueOk(f, 'y')})) return false; }`);
    } else if (f.map) {
      lines.push('return false;'); // map fields are refused on the data plane
    } else {
      lines.push(`if (!(${valueOk(f, 'x')})) return false;`);
    }
    lines.push('}');
  }
  for (const o of plan.oneofs) {
    const set = o.members.map(
      (m) => `(v[${JSON.stringify(m)}] !== undefined && v[${JSON.stringify(m)}] !== null ? 1 : 0)`,
    );
    if (set.length > 1) lines.push(`if (${set.join(' + ')} > 1) return false;`);
  }
  lines.push('return true;');
  const make = new Function('A', 'E', 'U8', 'hasOwn', `return function accepts(v) {\n${lines.join('\n')}\n};`);
  return make(nested, enums, Uint8Array, Object.hasOwn) as Accepts;
}
