import { isBlockId } from '@oicf/kv';
import { OicfError } from '@oicf/transport';

/** Edge validation of request fields; every error names the field and says what to send instead. */

export function requireId(value: unknown, field: string): string {
  if (!isBlockId(value)) {
    throw new OicfError(
      'INVALID_ARGUMENT',
      `${field} must be a block id (32 lower-case hex characters), got ${JSON.stringify(String(value).slice(0, 40))}`,
      { field },
    );
  }
  return value;
}

export function requireIds(values: readonly string[], field: string, maxCount: number): string[] {
  if (values.length > maxCount) {
    throw new OicfError('INVALID_ARGUMENT', `${field} has ${values.length} ids; send at most ${maxCount} per request`, {
      field,
    });
  }
  return values.map((v, i) => requireId(v, `${field}[${i}]`));
}

export function requirePositive(value: number, field: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new OicfError('INVALID_ARGUMENT', `${field} must be a finite number > 0, got ${value}`, { field });
  }
  return value;
}
