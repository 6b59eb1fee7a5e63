// What the body check and the body normaliser need to know of an oicf.v1 message type, read once from the
// protobufjs reflection and kept per type: its fields in declaration order and by id, what each holds
// (scalar type, enum, nested message), its oneofs, and the text of its error messages. The frame codec
// checks and normalises every frame it sends and receives; walking the reflection for each (property
// getters, `in` tests, joined name lists) was most of the codec's cost per request-plane frame.
import type { loadProtoRoot } from '@oicf/proto';

type Root = ReturnType<typeof loadProtoRoot>;
export type MessageType = ReturnType<Root['lookupType']>;
type Field = MessageType['fieldsArray'][number];
export type EnumType = { values: Record<string, number>; valuesById: Record<number, string> };

export interface FieldPlan {
  readonly name: string;
  readonly repeated: boolean;
  readonly map: boolean;
  /** The protobuf scalar type ('uint32', 'string', …); for enum and message fields, the type's name. */
  readonly type: string;
  readonly enumType: EnumType | undefined;
  /** The enum's names, as error messages list them. */
  readonly enumNames: string;
  /** The nested message's plan (message fields only; made on first use, so recursive types work). */
  readonly message: () => MessagePlan;
  readonly isMessage: boolean;
  /** The oneof it belongs to (a real oneof or a proto3 `optional`'s synthetic one). */
  readonly partOf: string | undefined;
  /** It belongs to a real oneof: a normalised body names the member set (`oneofs: true`). */
  readonly inRealOneof: boolean;
  /** protobufjs' default of the field (a Long for 64-bit integers, a byte array for bytes, null for messages). */
  readonly typeDefault: unknown;
}

export interface MessagePlan {
  readonly type: MessageType;
  readonly name: string;
  /** Declaration order (the order the check reports problems in). */
  readonly fields: readonly FieldPlan[];
  /** The fields by name. */
  readonly byName: ReadonlyMap<string, FieldPlan>;
  /** Field-number order (the order protobufjs' toObject writes fields in). */
  readonly byId: readonly FieldPlan[];
  /** The field names, as the unknown-field message lists them. */
  readonly fieldNames: string;
  readonly oneofs: ReadonlyArray<{ readonly name: string; readonly members: readonly string[] }>;
}

const plans = new WeakMap<MessageType, MessagePlan>();

/** The plan of `type`, made on first use. */
export function planOf(type: MessageType): MessagePlan {
  let plan = plans.get(type);
  if (plan === undefined) {
    plan = makePlan(type);
    plans.set(type, plan);
  }
  return plan;
}

function makePlan(type: MessageType): MessagePlan {
  const fields = type.fieldsArray.map(fieldPlan);
  const ids = new Map(type.fieldsArray.map((f, i) => [fields[i] as FieldPlan, f.id]));
  return {
    type,
    name: type.name,
    fields,
    byName: new Map(fields.map((f) => [f.name, f])),
    byId: [...fields].sort((a, b) => (ids.get(a) as number) - (ids.get(b) as number)),
    fieldNames: type.fieldsArray.map((f) => f.name).join(', '),
    oneofs: type.oneofsArray.map((o) => ({ name: o.name, members: [...o.oneof] })),
  };
}

function fieldPlan(field: Field): FieldPlan {
  const resolved = field.resolvedType as unknown;
  const isMessage = resolved !== null && resolved !== undefined && 'fieldsArray' in (resolved as object);
  const isEnum = !isMessage && resolved !== null && resolved !== undefined && 'valuesById' in (resolved as object);
  const enumType = isEnum ? (resolved as EnumType) : undefined;
  let nested: MessagePlan | undefined;
  const partOf = field.partOf ?? undefined;
  return {
    name: field.name,
    repeated: field.repeated,
    map: field.map,
    type: field.type,
    enumType,
    enumNames: enumType === undefined ? '' : Object.keys(enumType.values).join(', '),
    message: () => {
      nested ??= planOf(resolved as MessageType);
      return nested;
    },
    isMessage,
    partOf: partOf?.name,
    inRealOneof: partOf !== undefined && !(partOf as { isProto3Optional?: boolean }).isProto3Optional,
    typeDefault: field.typeDefault as unknown,
  };
}
