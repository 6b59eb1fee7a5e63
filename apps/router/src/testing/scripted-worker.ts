// A scripted worker for router tests and the latency bench: real servers on 127.0.0.1:0 (the request plane
// on a WebSocket, as the router uses it, see scripted-plane.ts; and gRPC PrefillWorker / DecodeWorker for
// tools) that register and heartbeat through the router's real Registry, but "generate" a fixed script
// instead of running a model: the UTF-8 bytes of `text`, then EOS. Prefill returns the script's first token;
// Decode streams the rest one token per step (after the first token when it came from remote prefill, as
// the real decode worker does), honouring max_tokens (counting the first token) and stop tokens. Every
// call is recorded for assertions.
import type {
  CancelRequest__Output,
  DecodeRequest__Output,
  DecodeWorkerHandlers,
  PrefillRequest__Output,
  PrefillWorkerHandlers,
  RegisterRequest,
  RegistryClient,
  WorkerLoad,
} from '@oicf/proto';
import { loadProto } from '@oicf/proto';
import {
  createGrpcClient,
  defineService,
  type GrpcServer,
  startGrpcServer,
  startWsServer,
  unaryCall,
  type WsServer,
} from '@oicf/transport';
import { scriptedPlaneHandler } from './scripted-plane.js';

const EOS_ID = 257;

export interface ScriptedWorkerOptions {
  readonly workerId: string;
  readonly role: 'prefill' | 'decode' | 'both';
  readonly routerGrpcAddress: string;
  readonly modelId?: string;
  /** The generated text (its bytes, then EOS). Default "hello". */
  readonly text?: string;
  /** Pause before each decode chunk, seconds (default 0). */
  readonly tokenIntervalSeconds?: number;
  /** Pause inside Prefill, seconds (default 0). */
  readonly prefillSeconds?: number;
  readonly kvCapacityBytes?: number;
  readonly maxBatch?: number;
  /** What heartbeats report (default: idle, capacity as registered). */
  readonly load?: () => Partial<WorkerLoad>;
  /** Prompt tokens a local-prefill Decode reports as cached (default 0). */
  readonly numCachedPromptTokens?: number;
  /** Fail Decode with this error detail instead of streaming. */
  readonly decodeError?: { code: string; message: string };
  /** The http://host:port it announces for /metrics (default none). */
  readonly httpAddress?: string;
}

export interface ScriptedWorker {
  readonly workerId: string;
  readonly grpcAddress: string;
  /** ws://127.0.0.1:port of its request plane (registered as its ws address). */
  readonly wsAddress: string;
  readonly calls: {
    readonly prefill: PrefillRequest__Output[];
    readonly decode: DecodeRequest__Output[];
    readonly cancel: CancelRequest__Output[];
  };
  /** Open connections to its request plane (the router keeps one). */
  numPlaneConnections(): number;
  /** Request ids whose Decode stream the caller cancelled before it finished. */
  readonly cancelledStreams: string[];
  /** Request ids whose decode over the request plane sent its last token. */
  readonly finishedStreams: string[];
  /** Sends one heartbeat now. */
  heartbeat(): Promise<void>;
  stopHeartbeats(): void;
  close(): Promise<void>;
}

const ROLE = { prefill: 'WORKER_ROLE_PREFILL', decode: 'WORKER_ROLE_DECODE', both: 'WORKER_ROLE_BOTH' } as const;

export async function startScriptedWorker(o: ScriptedWorkerOptions): Promise<ScriptedWorker> {
  const script = [...Buffer.from(o.text ?? 'hello', 'utf8'), EOS_ID];
  const kvCapacityBytes = o.kvCapacityBytes ?? 256 * 1024 * 1024;
  const calls = {
    prefill: [] as PrefillRequest__Output[],
    decode: [] as DecodeRequest__Output[],
    cancel: [] as CancelRequest__Output[],
  };
  const cancelledStreams: string[] = [];
  const finishedStreams: string[] = [];
  const running = new Map<string, AbortController>();
  const sleep = (s: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (s <= 0) return resolve();
      const t = setTimeout(resolve, s * 1000);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });

  const prefill = defineService<PrefillWorkerHandlers>(loadProto().PrefillWorker.service, {
    Prefill: async (req, ctx) => {
      calls.prefill.push(req);
      await sleep(o.prefillSeconds ?? 0, ctx.signal);
      const cached = req.cachedPrefix.flatMap((s) => s.blocks).reduce((n, b) => n + b.numTokens, 0);
      return {
        requestId: req.requestId,
        firstTokenId: script[0],
        numCachedTokens: cached,
        numComputedTokens: req.tokenIds.length - cached,
        kvBytesSent: (req.tokenIds.length - req.numDecodeCachedTokens) * 4096,
        timings: { computeSeconds: o.prefillSeconds ?? 0, totalSeconds: o.prefillSeconds ?? 0 },
      };
    },
  });

  const decode = defineService<DecodeWorkerHandlers>(loadProto().DecodeWorker.service, {
    Decode: async (req, write, ctx) => {
      calls.decode.push(req);
      const t0 = performance.now();
      const since = () => (performance.now() - t0) / 1000;
      if (o.decodeError !== undefined) {
        await write({ requestId: req.requestId, finishReason: 'FINISH_REASON_ERROR', error: o.decodeError });
        return;
      }
      const stop = new AbortController();
      running.set(req.requestId, stop);
      ctx.signal.addEventListener('abort', () => stop.abort());
      const remoteFirst = req.numHandoffTokens > 0;
      let produced = remoteFirst ? 1 : 0;
      const usage = () => ({
        numPromptTokens: req.promptTokenIds.length,
        numCompletionTokens: produced,
        numCachedPromptTokens: remoteFirst ? 0 : (o.numCachedPromptTokens ?? 0),
      });
      if (produced >= req.maxTokens) {
        // The prefill's first token already used up max_tokens: finish without a token.
        await write({ requestId: req.requestId, finishReason: 'FINISH_REASON_LENGTH', usage: usage() });
        return;
      }
      try {
        for (let i = produced; ; i++) {
          const token = script[Math.min(i, script.length - 1)] as number;
          await sleep(o.tokenIntervalSeconds ?? 0, stop.signal);
          if (stop.signal.aborted) {
            cancelledStreams.push(req.requestId);
            return;
          }
          produced += 1;
          const isStop = (req.sampling?.stopTokenIds ?? []).includes(token);
          const last = isStop || produced >= req.maxTokens;
          await write({
            requestId: req.requestId,
            tokenIds: [token],
            text: token < 256 ? Buffer.from([token]) : Buffer.alloc(0),
            emittedAfterSeconds: since(),
            stepSeconds: o.tokenIntervalSeconds ?? 0,
            ...(last
              ? {
                  finishReason: isStop ? 'FINISH_REASON_STOP' : 'FINISH_REASON_LENGTH',
                  usage: usage(),
                  timings: { queueSeconds: 0, kvReceiveSeconds: 0, decodeSeconds: since() },
                }
              : {}),
          });
          if (last) return;
        }
      } finally {
        running.delete(req.requestId);
      }
    },
    Cancel: async (req) => {
      calls.cancel.push(req);
      const r = running.get(req.requestId);
      r?.abort();
      return { cancelled: r !== undefined };
    },
  });

  const services = o.role === 'prefill' ? [prefill] : o.role === 'decode' ? [decode] : [prefill, decode];
  const server: GrpcServer = await startGrpcServer({ services });
  const plane: WsServer = await startWsServer({
    onFrame: scriptedPlaneHandler({
      script,
      tokenIntervalSeconds: o.tokenIntervalSeconds ?? 0,
      prefillSeconds: o.prefillSeconds ?? 0,
      numCachedPromptTokens: o.numCachedPromptTokens ?? 0,
      decodeError: o.decodeError,
      calls,
      cancelledStreams,
      finishedStreams,
    }),
  });
  const registry: RegistryClient = createGrpcClient(loadProto().Registry, o.routerGrpcAddress);
  const registration: RegisterRequest = {
    workerId: o.workerId,
    role: ROLE[o.role],
    grpcAddress: server.address,
    wsAddress: plane.url,
    modelId: o.modelId ?? 'tiny-gqa',
    capacity: { kvCapacityBytes, maxBatch: o.maxBatch ?? 16, maxContextTokens: 0 },
    deviceId: 'this-machine',
    httpAddress: o.httpAddress ?? '',
  };
  const reg = await unaryCall(registry, 'Register', registration);
  if (!reg.accepted) throw new Error(`scripted worker ${o.workerId} was refused: ${reg.reason}`);
  const heartbeat = async () => {
    const res = await unaryCall(registry, 'Heartbeat', {
      workerId: o.workerId,
      load: { kvCapacityBytes, ...o.load?.() },
      sentAtUnixMs: Date.now(),
    });
    if (res.directives.some((d) => d.kind === 'DIRECTIVE_KIND_REREGISTER')) {
      await unaryCall(registry, 'Register', registration);
    }
  };
  const timer = setInterval(() => {
    heartbeat().catch(() => {});
  }, reg.heartbeatIntervalSeconds * 1000);
  await heartbeat();
  return {
    workerId: o.workerId,
    grpcAddress: server.address,
    wsAddress: plane.url,
    calls,
    numPlaneConnections: () => plane.numConnections(),
    cancelledStreams,
    finishedStreams,
    heartbeat,
    stopHeartbeats: () => clearInterval(timer),
    close: async () => {
      clearInterval(timer);
      registry.close();
      await Promise.all([server.shutdown(1), plane.close()]);
    },
  };
}
