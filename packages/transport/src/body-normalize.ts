// A checked body (body-check.ts) in the generated `__Output` shape: exactly what protobufjs'
// `type.toObject(type.fromObject(body), { longs: Number, enums: String, defaults: true, oneofs: true })`
// gives, without making a message instance and a second object per nested message. Every field is present
// (absent ones at their default: 0, '', false, the enum's first name, an empty Buffer, [] or null), enums by
// name, integers without -0, bytes fields as the same Buffer objects (the zero-copy views survive), a real
// oneof names its member set, and the keys come in protobufjs' order: repeated fields, maps, then the other
// fields (both by field number), then the oneof members set and their oneof names. The body must have
// passed checkMessage: nothing is checked here. body-normalize.test.ts compares it with protobufjs.
import { Buffer } from 'node:buffer';
import type { FieldPlan, MessagePlan } from './body-plan.js';

type Body = Record<string, unknown>;

/**
 * The default of a bytes field (protobufjs makes a new empty Buffer each time): one shared empty Buffer,
 * which nobody can change (it has no bytes), instead of one allocation per absent field per frame.
 */
const EMPTY_BYTES: Buffer = Buffer.alloc(0);

export function normalizePlan(plan: MessagePlan, body: Body): Body {
  const out: Body = {};
  const fields = plan.byId;
  for (const f of fields) if (f.repeated && f.partOf === undefined) out[f.name] = [];
  for (const f of fields) if (f.map && f.partOf === undefined) out[f.name] = {};
  for (const f of fields) if (!f.repeated && !f.map && f.partOf === undefined) out[f.name] = defaultOf(f);
  for (const f of fields) {
    const v = body[f.name];
    if (f.repeated) {
      if (Array.isArray(v) && v.length > 0) {
        const list = new Array(v.length);
        for (let i = 0; i < v.length; i++) list[i] = convert(f, v[i], false);
        out[f.name] = list;
      }
    } else if (v !== undefined && v !== null) {
      out[f.name] = convert(f, v, f.partOf === undefined);
      if (f.inRealOneof) out[f.partOf as string] = f.name;
    }
  }
  return out;
}

/**
 * One value as fromObject then toObject turn it. `implicit`: a field without presence, where protobufjs
 * leaves a default value unset and toObject writes a fresh default (only an empty bytes value differs).
 */
function convert(f: FieldPlan, v: unknown, implicit: boolean): unknown {
  if (f.isMessage) return normalizePlan(f.message(), v as Body);
  const e = f.enumType;
  if (e !== undefined)
    return typeof v === 'string' ? e.valuesById[e.values[v] as number] : (e.valuesById[v as number] ?? v);
  switch (f.type) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return (v as number) | 0;
    case 'uint32':
    case 'fixed32':
      return (v as number) >>> 0;
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64':
      return v === 0 ? 0 : v; // through a Long and back: -0 becomes 0
    case 'bytes':
      return implicit && (v as Uint8Array).length === 0 ? EMPTY_BYTES : v;
    default:
      return v; // double, float, bool, string: checked, unchanged
  }
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
