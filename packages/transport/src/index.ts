export {
  CLUSTER_SECRET_BYTES,
  type ClusterCredentials,
  type CredentialsFile,
  credentialsFor,
  credentialsFromJson,
  credentialsToJson,
  deriveBlockKey,
  deriveIdentityKey,
  deriveMemberKey,
  generateClusterSecret,
} from './auth/cluster-keys.js';
export { isLoopbackHost } from './auth/loopback.js';
export {
  bearerToken,
  mintMemberToken,
  TOKEN_MAX_AGE_SECONDS,
  type TokenCheck,
  verifyMemberToken,
} from './auth/member-token.js';
export {
  type CallerIdentity,
  CLUSTER_AUTH_FILE_ENV,
  checkMember,
  checkMemberHeaders,
  clusterAuthHeaders,
  clusterCredentials,
  loadClusterCredentialsFromEnv,
  type MemberCheck,
  setClusterCredentials,
} from './auth/process-auth.js';
export { type BodyProblem, checkMessage } from './body-check.js';
export { type Clock, FakeClock, realClock } from './clock.js';
export { ConfigError, type ConfigIssue, type ConfigSources, loadConfig } from './config.js';
export {
  codeForGrpcStatus,
  codeForWsCloseCode,
  ERROR_CODES,
  ERROR_MAPPING,
  type ErrorCode,
  type ErrorMapping,
  isErrorCode,
} from './error-codes.js';
export {
  ERROR_CODE_METADATA_KEY,
  ERROR_FIELD_METADATA_KEY,
  fromErrorDetail,
  fromGrpcError,
  fromHttpError,
  fromWsClose,
  type GrpcServerError,
  type HttpErrorBody,
  MAX_GRPC_MESSAGE_CHARS,
  RETRY_AFTER_METADATA_KEY,
  toErrorDetail,
  toGrpcError,
  toHttpError,
  toWsClose,
} from './error-convert.js';
export {
  type ExitWithParentOptions,
  exitWithParent,
  exitWithParentFromEnv,
  PARENT_PID_ENV,
} from './exit-with-parent.js';
export { DEFAULT_MAX_FRAME_BYTES, type DecodeResult, decodeFrame, encodeFrame, MAX_ID_LENGTH } from './frame-codec.js';
export {
  FRAME_KINDS,
  FRAME_VERSION,
  type Frame,
  type FrameBody,
  type FrameBodyOutput,
  type FrameKind,
  type FrameKindSpec,
  isFrameKind,
  isTerminalKind,
  type MessageName,
} from './frame-kinds.js';
export {
  CONNECTION_SCOPE_ID,
  DEFAULT_HIGH_WATER_MARK_BYTES,
  FrameSocket,
  type FrameSocketOptions,
} from './frame-socket.js';
export {
  BULK_CHANNEL_OPTIONS,
  createGrpcClient,
  type GrpcCallOptions,
  type GrpcClientOptions,
  grpcMetadata,
  KEEPALIVE_CHANNEL_OPTIONS,
  type StreamMethod,
  serverStreamCall,
  type UnaryMethod,
  unaryCall,
} from './grpc-client.js';
export {
  type CallContext,
  DEFAULT_SERVER_CHANNEL_OPTIONS,
  defineService,
  type GrpcServer,
  type GrpcServerOptions,
  type ServerCall,
  type ServerStreamImpl,
  type ServiceAccess,
  type ServiceImpl,
  type ServiceRegistration,
  startGrpcServer,
  type UnaryImpl,
} from './grpc-server.js';
export { HOT_FRAMES_HEADER, HOT_FRAMES_VERSION } from './hot-frames.js';
export { isOicfError, OicfError, type OicfErrorOptions, toOicfError } from './oicf-error.js';
export { CreditGate, CreditLedger } from './plane/credit.js';
export { type PlaneCall, PlaneChannel, type PlaneChannelOptions } from './plane/plane-channel.js';
export {
  isRequestPlaneKind,
  type PlaneOutput,
  PlaneSession,
  PlaneSessions,
} from './plane/plane-session.js';
export {
  type Endpoints,
  type HttpRoute,
  type MetricsSource,
  type RunningService,
  type ServiceOptions,
  type ServiceState,
  startService,
} from './service.js';
export { type CallOptions, connectWs, type WsCall, type WsClient, type WsClientOptions } from './ws-client.js';
export { WsClientPool } from './ws-client-pool.js';
export {
  type FrameHandler,
  startWsServer,
  type WsConnection,
  type WsServer,
  type WsServerOptions,
} from './ws-server.js';
