/**
 * Element types the builder writes, with their ONNX TensorProto.DataType codes and sizes.
 * Names follow onnxruntime-common's tensor type strings so a runner can pass them through.
 */
export type DType = 'float32' | 'float16' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

/** ONNX TensorProto.DataType code per element type (see proto/onnx.proto). */
export const DTYPE_CODE: Readonly<Record<DType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
};

/** Bytes per element. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4,
  float16: 2,
  int8: 1,
  uint8: 1,
  int32: 4,
  int64: 8,
  bool: 1,
};

const BY_CODE = new Map<number, DType>(Object.entries(DTYPE_CODE).map(([k, v]) => [v, k as DType]));

/** The element type for an ONNX data type code; throws for codes this package never writes. */
export function dtypeFromCode(code: number): DType {
  const t = BY_CODE.get(code);
  if (t === undefined) throw new Error(`ONNX data type code ${code} is not one @oicf/kernels handles`);
  return t;
}
