// A checked body (body-check.ts) in the generated `__Output` shape: exactly what protobufjs'
// `type.toObject(type.fromObject(body), { longs: Number, enums: String, defaults: true, oneofs: true })`
// gives, without making a message instance and a second object per nested message. Every field is present
// (absent ones at their default: 0, '', false, the enum's first name, an empty Buffer, [] or null), enums by
// name, integers without -0, bytes fields as the same Buffer objects (the zero-copy views survive), a real
// oneof names its member set, and the keys come in protobufjs' order: repeated fields, maps, then the other
// fields (both by field number), then the oneof members set and their oneof names. The body must have
// passed checkMessage: nothing is checked here. body-normalize.test.ts compares it with protobufjs.
import { Buffer } from 'node:buffer';
import type { EnumType, FieldPlan, MessagePlan } from './body-plan.js';

type Body = Record<string, unknown>;

/**
 * The default of a bytes field (protobufjs makes a new empty Buffer each time): one shared empty Buffer,
 * which nobody can change (it has no bytes), instead of one allocation per absent field per frame.
 */
const EMPTY_BYTES: Buffer = Buffer.alloc(0);

/** The normaliser of `plan`, generated on first use (see normalizerOf). */
export function normalizePlan(plan: MessagePlan, body: Body): Body {
  return normalizerOf(plan)(body);
}

type Normalize = (body: Body) => Body;
const normalizers = new WeakMap<MessagePlan, Normalize>();

/**
 * The normaliser of `plan`: a function generated once from the plan with its field names as literals (the
 * names come from the .proto files, never from a peer), so one body costs one object literal and a read
 * per field instead of four walks over the plan's field list. Key order: the literal lists the fields
 * without presence (repeated, maps, then the others, each by field number) at their defaults; fields with
 * presence (oneof members, proto3 `optional`) are added in field-number order when set, a real oneof's
 * name right after its member.
 */
export function normalizerOf(plan: MessagePlan): Normalize {
  let fn = normalizers.get(plan);
  if (fn === undefined) {
    fn = compile(plan);
    normalizers.set(plan, fn);
  }
  return fn;
}

function compile(plan: MessagePlan): Normalize {
  const fields = plan.byId;
  /** Field plans and their defaults, read by the generated code by index. */
  const F: FieldPlan[] = [];
  const D: unknown[] = [];
  const N: Normalize[] = [];
  const E: EnumType[] = [];
  const key = (f: FieldPlan) => JSON.stringify(f.name);
  /** Source of one converted value `v` of `f` (what convert() does). */
  const value = (f: FieldPlan, v: string, implicit: boolean): string => {
    if (f.isMessage) {
      const i = N.length;
      N.push((b) => {
        const fn = normalizerOf(f.message());
        N[i] = fn;
        return fn(b);
      });
      return `N[${i}](${v})`;
    }
    if (f.enumType !== undefined) {
      const i = E.length;
      E.push(f.enumType);
      return `(typeof ${v} === 'string' ? E[${i}].valuesById[E[${i}].values[${v}]] : (E[${i}].valuesById[${v}] ?? ${v}))`;
    }
    switch (f.type) {
      case 'int32':
      case 'sint32':
      case 'sfixed32':
        return `(${v} | 0)`;
      case 'uint32':
      case 'fixed32':
        return `(${v} >>> 0)`;
      case 'int64':
      case 'sint64':
      case 'sfixed64':
      case 'uint64':
      case 'fixed64':
        return `(${v} === 0 ? 0 : ${v})`; // through a Long and back: -0 becomes 0
      case 'bytes':
        return implicit ? `(${v}.length === 0 ? EMPTY : ${v})` : v;
      default:
        return v; // double, float, bool, string: checked, unchanged
    }
  };
  const defaultSource = (f: FieldPlan): string => {
    const i = F.length;
    F.push(f);
    const d = defaultOf(f);
    // A non-empty bytes default (never in proto3) is a fresh Buffer per body, as protobufjs makes it.
    D.push(d instanceof Uint8Array && d.length > 0 ? undefined : d);
    return d instanceof Uint8Array && d.length > 0 ? `defaultOf(F[${i}])` : `D[${i}]`;
  };
  const literal: string[] = [];
  for (const f of fields) if (f.repeated && f.partOf === undefined) literal.push(`${key(f)}: []`);
  for (const f of fields) if (f.map && f.partOf === undefined) literal.push(`${key(f)}: {}`);
  for (const f of fields)
    if (!f.repeated && !f.map && f.partOf === undefined) literal.push(`${key(f)}: ${defaultSource(f)}`);
  const lines = [`const out = {${literal.join(', ')}};`, 'let v;'];
  for (const f of fields) {
    lines.push(`v = b[${key(f)}];`);
    if (f.repeated) {
      lines.push(
        'if (Array.isArray(v) && v.length > 0) {',
        'const list = new Array(v.length);',
        `for (let i = 0; i < v.length; i++) { const y = v[i]; list[i] = ${value(f, 'y', false)}; }`,
        `out[${key(f)}] = list;`,
        '}',
      );
    } else {
      lines.push(`if (v !== undefined && v !== null) {`, `out[${key(f)}] = ${value(f, 'v', f.partOf === undefined)};`);
      if (f.inRealOneof) lines.push(`out[${JSON.stringify(f.partOf)}] = ${key(f)};`);
      lines.push('}');
    }
  }
  lines.push('return out;');
  const make = new Function(
    'F',
    'D',
    'N',
    'E',
    'EMPTY',
    'defaultOf',
    `return function normalize(b) {\n${lines.join('\n')}\n};`,
  );
  return make(F, D, N, E, EMPTY_BYTES, defaultOf) as Normalize;
}

function defaultOf(f: FieldPlan): unknown {
  const d = f.typeDefault;
  if (f.enumType !== undefined) return f.enumType.valuesById[d as number];
  if (d !== null && typeof d === 'object') {
    if (d instanceof Uint8Array || Array.isArray(d)) {
      const bytes = d as ArrayLike<number>;
      return bytes.length === 0 ? EMPTY_BYTES : Buffer.from(Array.from(bytes)); // bytes (proto3: always empty)
    }
    return (d as { toNumber(): number }).toNumber(); // a Long (64-bit integer fields)
  }
  return d;
}
