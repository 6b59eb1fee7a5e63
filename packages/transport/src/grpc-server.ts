// gRPC server helpers on grpc-js: write handlers as async functions, get errors mapped, deadlines and
// cancellation as an AbortSignal, and a server bound to 127.0.0.1:0 that reports its port.
//
//   const server = await startGrpcServer({ services: [
//     defineService<KvPoolHandlers>(loadProto().KvPool.service, {
//       Lookup: async (req, ctx) => ({ numCachedBlocks: 0 }),
//       …
//     }),
//   ]});
//
// A handler that throws an OicfError ends the call with the mapped gRPC status, its message as details, and
// the exact code/field in `oicf-error-code` / `oicf-error-field` metadata; any other throw becomes INTERNAL.
// A request whose bytes are not the method's protobuf message ends with INVALID_ARGUMENT naming the method
// (grpc-js alone would answer INTERNAL "Error deserializing request"), and the handler is not called.
import {
  type ChannelOptions,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { type CallerIdentity, checkMember } from './auth/process-auth.js';
import { toGrpcError } from './error-convert.js';
import { OicfError } from './oicf-error.js';

/** The server side of a unary or server-streaming call (grpc-js does not export its common base type). */
export type ServerCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/** What a handler knows about its call besides the request. */
export interface CallContext {
  /** Absolute deadline set by the caller, or undefined for none. */
  readonly deadline: Date | undefined;
  /** Aborted when the caller cancels or the deadline passes; pass it on to long work. */
  readonly signal: AbortSignal;
  readonly metadata: Metadata;
  /** Caller address, for logs. */
  readonly peer: string;
  /** The authenticated cluster member that called (undefined when auth is off or the service is public). */
  readonly caller: CallerIdentity | undefined;
  /** The grpc-js call; give it as `parent` to downstream calls to propagate deadline and cancellation. */
  readonly call: ServerCall;
  /** Seconds left before the deadline (Infinity when there is none; ≤ 0 when already passed). */
  remainingSeconds(): number;
}

export type UnaryImpl<Req, Res> = (request: Req, context: CallContext) => Res | Promise<Res>;
/** `write` resolves when the stream can take more (it waits on HTTP/2 flow control). */
export type ServerStreamImpl<Req, Res> = (
  request: Req,
  write: (response: Res) => Promise<void>,
  context: CallContext,
) => void | Promise<void>;

/** Async implementation of a generated `…Handlers` interface (e.g. KvPoolHandlers). */
export type ServiceImpl<H> = {
  [K in keyof H as string extends K ? never : K]: H[K] extends handleServerStreamingCall<infer Req, infer Res>
    ? ServerStreamImpl<Req, Res>
    : H[K] extends handleUnaryCall<infer Req, infer Res>
      ? UnaryImpl<Req, Res>
      : never;
};

export interface ServiceRegistration {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/**
 * Who may call a service: `member` (default): cluster members only, checked against this process's
 * credentials before the handler runs (UNAUTHENTICATED otherwise; auth off when none are installed);
 * `public`: anyone (the router's front door, which checks API keys itself).
 */
export type ServiceAccess = 'member' | 'public';

function makeContext(call: ServerCall, caller: CallerIdentity | undefined): { context: CallContext; done: () => void } {
  const abort = new AbortController();
  const raw = call.getDeadline();
  const deadlineMs = raw instanceof Date ? raw.getTime() : raw;
  const deadline = Number.isFinite(deadlineMs) ? new Date(deadlineMs) : undefined;
  const onCancel = () => abort.abort(new OicfError('CANCELLED', 'the caller cancelled the call'));
  call.once('cancelled', onCancel);
  const timer =
    deadline === undefined
      ? undefined
      : setTimeout(
          () => abort.abort(new OicfError('DEADLINE_EXCEEDED', 'the caller deadline passed')),
          Math.max(0, deadlineMs - Date.now()),
        );
  const context: CallContext = {
    deadline,
    signal: abort.signal,
    metadata: call.metadata,
    peer: call.getPeer(),
    caller,
    call,
    remainingSeconds: () =>
      deadline === undefined ? Number.POSITIVE_INFINITY : (deadline.getTime() - Date.now()) / 1000,
  };
  return {
    context,
    done: () => {
      if (timer !== undefined) clearTimeout(timer);
      call.off('cancelled', onCancel);
    },
  };
}

/** What a wrapped deserializer returns for bytes that are not the method's request message. */
class UndecodableRequest {
  constructor(readonly error: OicfError) {}
}

/** The method definition with a deserializer that returns UndecodableRequest instead of throwing. */
function tolerantMethod<M extends ServiceDefinition[string]>(method: M): M {
  const deserialize = method.requestDeserialize;
  return {
    ...method,
    requestDeserialize: (bytes: Buffer) => {
      try {
        return deserialize(bytes);
      } catch (err) {
        return new UndecodableRequest(
          new OicfError(
            'INVALID_ARGUMENT',
            `cannot decode the ${method.path} request (${bytes.length} bytes): ${(err as Error).message}; send that method's protobuf request message`,
          ),
        );
      }
    },
  };
}

/** The membership check of a call to a `member` service (before its request is looked at). */
function authorize(
  call: ServerCall,
  access: ServiceAccess,
  path: string,
): { ok: true; caller: CallerIdentity | undefined } | { ok: false; error: OicfError } {
  if (access === 'public') return { ok: true, caller: undefined };
  const value = call.metadata.get('authorization')[0];
  return checkMember(typeof value === 'string' ? value : undefined, `gRPC ${path}`);
}

function wrapUnary(
  impl: UnaryImpl<unknown, unknown>,
  access: ServiceAccess,
  path: string,
): handleUnaryCall<unknown, unknown> {
  return (call: ServerUnaryCall<unknown, unknown>, callback) => {
    const auth = authorize(call, access, path);
    if (!auth.ok) return callback(toGrpcError(auth.error));
    if (call.request instanceof UndecodableRequest) return callback(toGrpcError(call.request.error));
    const { context, done } = makeContext(call, auth.caller);
    Promise.resolve()
      .then(() => impl(call.request, context))
      .then(
        (response) => callback(null, response),
        (err: unknown) => callback(toGrpcError(err)),
      )
      .finally(done);
  };
}

function wrapServerStream(
  impl: ServerStreamImpl<unknown, unknown>,
  access: ServiceAccess,
  path: string,
): handleServerStreamingCall<unknown, unknown> {
  return (call: ServerWritableStream<unknown, unknown>) => {
    const auth = authorize(call, access, path);
    if (!auth.ok) {
      call.emit('error', toGrpcError(auth.error));
      return;
    }
    if (call.request instanceof UndecodableRequest) {
      call.emit('error', toGrpcError(call.request.error));
      return;
    }
    const { context, done } = makeContext(call, auth.caller);
    const write = (response: unknown) =>
      new Promise<void>((resolve, reject) => {
        if (call.cancelled) return reject(new OicfError('CANCELLED', 'the caller cancelled the stream'));
        if (call.write(response)) resolve();
        else call.once('drain', () => resolve());
      });
    Promise.resolve()
      .then(() => impl(call.request, write, context))
      .then(
        () => call.end(),
        (err: unknown) => {
          if (!call.cancelled) call.emit('error', toGrpcError(err));
        },
      )
      .finally(done);
  };
}

/**
 * Pairs a service definition (`loadProto().KvPool.service`) with async handlers typed from its generated
 * `…Handlers` interface. Only unary and server-streaming methods exist in oicf.v1. Calls need a cluster
 * member token unless `access` is 'public' (see ServiceAccess).
 */
export function defineService<H>(
  definition: ServiceDefinition,
  implementation: ServiceImpl<H>,
  options: { readonly access?: ServiceAccess } = {},
): ServiceRegistration {
  const access = options.access ?? 'member';
  const wrapped: UntypedServiceImplementation = {};
  const tolerant: ServiceDefinition = Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [name, tolerantMethod(method)]),
  );
  for (const [name, impl] of Object.entries(implementation as Record<string, unknown>)) {
    const method = definition[name];
    if (method === undefined) {
      throw new OicfError(
        'INVALID_ARGUMENT',
        `service has no method ${name}; it has ${Object.keys(definition).join(', ')}`,
      );
    }
    if (method.requestStream) throw new OicfError('UNIMPLEMENTED', `client-streaming method ${name} is not supported`);
    wrapped[name] = method.responseStream
      ? wrapServerStream(impl as ServerStreamImpl<unknown, unknown>, access, method.path)
      : wrapUnary(impl as UnaryImpl<unknown, unknown>, access, method.path);
  }
  const missing = Object.keys(definition).filter((name) => wrapped[name] === undefined);
  if (missing.length > 0) {
    throw new OicfError(
      'INVALID_ARGUMENT',
      `implementation lacks ${missing.join(', ')}: implement every method of the service`,
    );
  }
  return { definition: tolerant, implementation: wrapped };
}

export interface GrpcServerOptions {
  host?: string;
  port?: number;
  services: ServiceRegistration[];
  channelOptions?: ChannelOptions;
}

export interface GrpcServer {
  readonly server: Server;
  readonly port: number;
  /** `host:port` for clients. */
  readonly address: string;
  /**
   * Refuses new calls (UNAVAILABLE) and waits for running ones; after `timeoutSeconds` cancels the rest.
   * Resolves true when everything finished in time.
   */
  shutdown(timeoutSeconds: number): Promise<boolean>;
}

/** Default server channel options: messages up to 64 MiB (bulk bytes belong on the WebSocket plane). */
export const DEFAULT_SERVER_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
};

export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const server = new Server({ ...DEFAULT_SERVER_CHANNEL_OPTIONS, ...options.channelOptions });
  for (const s of options.services) server.addService(s.definition, s.implementation);
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (err, bound) =>
      err === null
        ? resolve(bound)
        : reject(new OicfError('UNAVAILABLE', `cannot bind gRPC on ${host}: ${err.message}`)),
    );
  });
  let shutdownPromise: Promise<boolean> | undefined;
  return {
    server,
    port,
    address: `${host}:${port}`,
    shutdown: (timeoutSeconds) => {
      shutdownPromise ??= new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve(false);
        }, timeoutSeconds * 1000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      return shutdownPromise;
    },
  };
}
