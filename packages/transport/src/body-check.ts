// Checks a plain object against an oicf.v1 message type (its plan, body-plan.ts, read from the protobufjs
// reflection once), more strictly than protobufjs' own Type.verify: unsigned fields must be ≥ 0 and in
// range, enum fields take a name or a known number, bytes must be a Uint8Array (no base64 strings on the
// wire), unknown keys are refused, and the reported path carries array indexes (`blocks[2].tier`).
import { acceptsOf } from './body-accepts.js';
import { type FieldPlan, type MessagePlan, type MessageType, planOf } from './body-plan.js';

export type { MessageType } from './body-plan.js';

/** A problem found in a body: the path of the field and what was wrong with it. */
export interface BodyProblem {
  field: string;
  problem: string;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

function checkScalar(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'double':
    case 'float':
      return typeof value === 'number' ? undefined : `expected a number, got ${describe(value)}`;
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX
        ? undefined
        : `expected an int32, got ${describe(value)}`;
    case 'uint32':
    case 'fixed32':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= UINT32_MAX
        ? undefined
        : `expected a uint32 (integer 0..${UINT32_MAX}), got ${describe(value)}`;
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return Number.isSafeInteger(value) ? undefined : `expected an integer within ±2^53, got ${describe(value)}`;
    case 'uint64':
    case 'fixed64':
      return Number.isSafeInteger(value) && (value as number) >= 0
        ? undefined
        : `expected a non-negative integer below 2^53, got ${describe(value)}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `expected a boolean, got ${describe(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `expected a string, got ${describe(value)}`;
    case 'bytes':
      return value instanceof Uint8Array ? undefined : `expected bytes (Buffer or Uint8Array), got ${describe(value)}`;
    default:
      return `unsupported field type ${type}`;
  }
}

/** `path.name`, or `name` at the top; `[index]` appended when index ≥ 0. */
function fieldPath(path: string, name: string, index: number): string {
  const at = path === '' ? name : `${path}.${name}`;
  return index >= 0 ? `${at}[${index}]` : at;
}

/**
 * The problem of one value of `field` (element `index` of a repeated field, or -1). Path strings are built
 * only for a problem (a nested message is checked at path '' and its problem's path prefixed on the way
 * out): checking a conforming body allocates no path at all.
 */
function checkValue(field: FieldPlan, value: unknown, path: string, index: number): BodyProblem | undefined {
  if (field.isMessage) {
    const p = checkPlan(field.message(), value, '');
    if (p === undefined) return undefined;
    const at = fieldPath(path, field.name, index);
    return { field: p.field === '' ? at : `${at}.${p.field}`, problem: p.problem };
  }
  const e = field.enumType;
  if (e !== undefined) {
    if (typeof value === 'string' && Object.hasOwn(e.values, value)) return undefined;
    if (typeof value === 'number' && Object.hasOwn(e.valuesById, value)) return undefined;
    return {
      field: fieldPath(path, field.name, index),
      problem: `expected one of ${field.enumNames}, got ${describe(value)}`,
    };
  }
  const problem = checkScalar(field.type, value);
  return problem === undefined ? undefined : { field: fieldPath(path, field.name, index), problem };
}

/**
 * The first problem of `value` as a message of `type`, or undefined when it conforms. Absent fields
 * (undefined or null) are fine: proto3 fields are all optional. `path` prefixes reported field paths.
 */
export function checkMessage(type: MessageType, value: unknown, path: string): BodyProblem | undefined {
  const plan = planOf(type);
  // The generated predicate passes a conforming body in one pass; only a body it refuses is walked here,
  // to find and name the problem (body-accepts.ts).
  return acceptsOf(plan)(value) ? undefined : checkPlan(plan, value, path);
}

/** The reference walk (internal: body-accepts.test.ts compares the generated predicate with it). */
export function checkPlan(plan: MessagePlan, value: unknown, path: string): BodyProblem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return { field: path, problem: `expected a ${plan.name} object, got ${describe(value)}` };
  }
  const record = value as Record<string, unknown>;
  const type = plan.type;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (plan.byName.has(key) || type.fields[key] !== undefined) continue;
    // A oneof's virtual field (proto-loader `oneofs: true`) may come back from a decoded message.
    const oneof = type.oneofs?.[key];
    if (oneof !== undefined && (record[key] === undefined || oneof.oneof.includes(record[key] as string))) continue;
    return { field: fieldPath(path, key, -1), problem: `unknown field; ${plan.name} has ${plan.fieldNames}` };
  }
  for (const field of plan.fields) {
    const v = record[field.name];
    if (v === undefined || v === null) continue;
    if (field.repeated) {
      if (!Array.isArray(v)) {
        return { field: fieldPath(path, field.name, -1), problem: `expected an array, got ${describe(v)}` };
      }
      for (let i = 0; i < v.length; i++) {
        const p = checkValue(field, v[i], path, i);
        if (p !== undefined) return p;
      }
    } else if (field.map) {
      return {
        field: fieldPath(path, field.name, -1),
        problem: 'map fields are not supported on the WebSocket data plane',
      };
    } else {
      const p = checkValue(field, v, path, -1);
      if (p !== undefined) return p;
    }
  }
  for (const oneof of plan.oneofs) {
    let numSet = 0;
    for (const name of oneof.members) if (record[name] !== undefined && record[name] !== null) numSet++;
    if (numSet > 1) {
      const set = oneof.members.filter((name) => record[name] !== undefined && record[name] !== null);
      return { field: fieldPath(path, oneof.name, -1), problem: `set only one of ${set.join(', ')}` };
    }
  }
  return undefined;
}
