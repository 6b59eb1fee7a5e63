export * from './generated/index.js';
export {
  LOADER_OPTIONS,
  loadPackageDefinition,
  loadProto,
  loadProtoRoot,
  type OicfV1Grpc,
  PROTO_DIR,
  PROTO_FILES,
} from './load-proto.js';
