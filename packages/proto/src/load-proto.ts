// Loaders for the oicf.v1 contract: the grpc-js package (services, typed clients) and the protobufjs Root
// (message types, used by packages/transport to verify WebSocket bodies). Both read the .proto files under
// ../proto at first use and cache the result; nothing here opens a socket.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import type { ProtoGrpcType as CommonGrpc } from './generated/common.js';
import type { ProtoGrpcType as DecodeGrpc } from './generated/decode.js';
import type { ProtoGrpcType as KvPoolGrpc } from './generated/kv_pool.js';
import type { ProtoGrpcType as PrefillGrpc } from './generated/prefill.js';
import type { ProtoGrpcType as RequestPlaneGrpc } from './generated/request_plane.js';
import type { ProtoGrpcType as RouterGrpc } from './generated/router.js';
import type { ProtoGrpcType as ShmGrpc } from './generated/shm.js';
import type { ProtoGrpcType as WorkerGrpc } from './generated/worker.js';

/** Directory holding `oicf/v1/*.proto`; pass it as the include dir to any other protobuf tool. */
export const PROTO_DIR = fileURLToPath(new URL('../proto', import.meta.url));

/** Every contract file, relative to PROTO_DIR. */
export const PROTO_FILES = [
  'oicf/v1/common.proto',
  'oicf/v1/kv_pool.proto',
  'oicf/v1/worker.proto',
  'oicf/v1/prefill.proto',
  'oicf/v1/decode.proto',
  'oicf/v1/router.proto',
  'oicf/v1/shm.proto',
  'oicf/v1/request_plane.proto',
] as const;

/**
 * How messages look in JS, for gRPC (proto-loader) and for WebSocket bodies alike. scripts/gen.mjs passes
 * the same choices to proto-loader-gen-types, so src/generated describes exactly these objects.
 * - keepCase false: fields are camelCase (`block_id` → `blockId`), like the rest of the TypeScript code.
 * - longs Number: every 64-bit field is a byte count or a ms timestamp, < 2^53, so a plain number is exact
 *   and avoids Long objects or strings in every caller.
 * - enums String: enum values read as their names (`'TIER_DRAM'`), which print and compare well.
 * - bytes as Buffer (the default): payloads arrive as Node Buffers.
 * - defaults true: received messages have every scalar field (proto3 zero values), matching `Foo__Output`.
 * - oneofs true: a oneof also reads as a virtual field naming the set member (`target: 'freeBytes'`).
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

/** The `oicf.v1` namespace as grpc-js sees it: service client constructors (with `.service`) and types. */
export type OicfV1Grpc = CommonGrpc['oicf']['v1'] &
  KvPoolGrpc['oicf']['v1'] &
  WorkerGrpc['oicf']['v1'] &
  PrefillGrpc['oicf']['v1'] &
  DecodeGrpc['oicf']['v1'] &
  RouterGrpc['oicf']['v1'] &
  ShmGrpc['oicf']['v1'] &
  RequestPlaneGrpc['oicf']['v1'];

let packageDefinition: protoLoader.PackageDefinition | undefined;
let grpcV1: OicfV1Grpc | undefined;
let root: protobuf.Root | undefined;

/** The proto-loader package definition of every contract file (cached). */
export function loadPackageDefinition(): protoLoader.PackageDefinition {
  packageDefinition ??= protoLoader.loadSync([...PROTO_FILES], LOADER_OPTIONS);
  return packageDefinition;
}

/**
 * The grpc-js view of `oicf.v1` (cached): `loadProto().KvPool` is the typed client constructor and
 * `loadProto().KvPool.service` the service definition to register on a server.
 */
export function loadProto(): OicfV1Grpc {
  if (grpcV1 === undefined) {
    const pkg = grpc.loadPackageDefinition(loadPackageDefinition()) as unknown as { oicf: { v1: OicfV1Grpc } };
    grpcV1 = pkg.oicf.v1;
  }
  return grpcV1;
}

/**
 * The protobufjs Root of every contract file (cached, resolved), with camelCase field names like the
 * loader above. Use `lookupType('oicf.v1.KvPutRequest')` for `verify`, `fromObject` and `toObject`.
 */
export function loadProtoRoot(): protobuf.Root {
  if (root === undefined) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => (target.startsWith('/') ? target : `${PROTO_DIR}/${target}`);
    r.loadSync([...PROTO_FILES], { keepCase: false });
    r.resolveAll();
    root = r;
  }
  return root;
}
