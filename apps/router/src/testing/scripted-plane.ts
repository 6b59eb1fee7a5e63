// The scripted worker's request plane (request_plane.proto), for router tests and the latency bench: the
// same ws frames a real worker takes (decode, prefill, cancel, plane.credit) on its own ws server, with the
// script instead of a model. Decode outputs go through PlaneSessions, so steps, credits, indexes and
// cancel-on-close behave as on a real worker. Asked for logprobs, it reports −(index + 1) / 8 per token.
import type { CancelRequest__Output, DecodeRequest__Output, PrefillRequest__Output } from '@oicf/proto';
import { type Frame, OicfError, type PlaneOutput, PlaneSessions, type WsConnection } from '@oicf/transport';

/** What the plane does with requests: the scripted worker's own behaviour. */
export interface ScriptBehaviour {
  /** The script's tokens: the text's bytes then EOS. */
  readonly script: readonly number[];
  readonly tokenIntervalSeconds: number;
  readonly prefillSeconds: number;
  readonly numCachedPromptTokens: number;
  readonly decodeError: { code: string; message: string } | undefined;
  readonly calls: {
    readonly prefill: PrefillRequest__Output[];
    readonly decode: DecodeRequest__Output[];
    readonly cancel: CancelRequest__Output[];
  };
  readonly cancelledStreams: string[];
  /** Request ids whose decode (over the plane) sent its last token. */
  readonly finishedStreams: string[];
}

/** A request's stop switch; stop() also ends a pause in progress. */
class Stopper {
  value = false;
  private wake: (() => void) | undefined;

  stop(): void {
    this.value = true;
    this.wake?.();
  }

  sleep(seconds: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (seconds <= 0 || this.value) return resolve();
      const timer = setTimeout(resolve, seconds * 1000);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

export function scriptedPlaneHandler(b: ScriptBehaviour) {
  const sessions = new PlaneSessions();
  return async (frame: Frame, conn: WsConnection): Promise<void> => {
    const session = sessions.of(conn);
    switch (frame.kind) {
      case 'plane.credit':
        session.grant(frame.body.numFrames);
        return;
      case 'cancel':
        b.calls.cancel.push(frame.body);
        session.requests.get(frame.body.requestId)?.(frame.body.reason);
        return;
      case 'prefill': {
        const req = frame.body;
        b.calls.prefill.push(req);
        const stopped = new Stopper();
        session.requests.set(req.requestId, () => stopped.stop());
        await stopped.sleep(b.prefillSeconds);
        session.requests.delete(req.requestId);
        if (stopped.value) return;
        const cached = req.cachedPrefix.flatMap((s) => s.blocks).reduce((n, blk) => n + blk.numTokens, 0);
        const first = b.script[0] as number;
        conn.post('prefill.done', req.requestId, {
          requestId: req.requestId,
          firstTokenId: first,
          ...(req.sampling?.logprobs ? { firstTokenLogprob: scriptedLogprob(first, 0) } : {}),
          numCachedTokens: cached,
          numComputedTokens: req.tokenIds.length - cached,
          kvBytesSent: (req.tokenIds.length - req.numDecodeCachedTokens) * 4096,
          timings: { computeSeconds: b.prefillSeconds, totalSeconds: b.prefillSeconds },
        });
        return;
      }
      case 'decode': {
        const req = frame.body;
        b.calls.decode.push(req);
        const stopped = new Stopper();
        session.requests.set(req.requestId, () => stopped.stop());
        conn.track(
          decode(b, req, (o) => session.output(o), stopped).finally(() => session.requests.delete(req.requestId)),
        );
        return;
      }
      default:
        throw new OicfError('UNIMPLEMENTED', `the scripted worker takes no ${frame.kind} frames`);
    }
  };
}

/** The logprob the script "samples" token `tokenId` at generation index `index` with: −(index + 1) / 8. */
function scriptedLogprob(tokenId: number, index: number) {
  const logprob = -(index + 1) / 8;
  return { tokenId, logprob, topLogprobs: [{ tokenId, logprob }] };
}

/** Streams the script for one decode, one token per output ("step"), as the real worker indexes them. */
async function decode(
  b: ScriptBehaviour,
  req: DecodeRequest__Output,
  emit: (o: PlaneOutput) => void,
  stopped: Stopper,
): Promise<void> {
  const t0 = performance.now();
  const since = () => (performance.now() - t0) / 1000;
  const requestId = req.requestId;
  if (b.decodeError !== undefined) {
    emit({
      firstTokenIndex: 0,
      chunk: { requestId, tokenIds: [], finishReason: 'FINISH_REASON_ERROR', error: b.decodeError },
    });
    return;
  }
  // After a remote prefill the first token (index 0) came from the prefill worker.
  const remoteFirst = req.numHandoffTokens > 0;
  let produced = remoteFirst ? 1 : 0;
  const usage = () => ({
    numPromptTokens: req.promptTokenIds.length,
    numCompletionTokens: produced,
    numCachedPromptTokens: remoteFirst ? 0 : b.numCachedPromptTokens,
  });
  if (produced >= req.maxTokens) {
    emit({
      firstTokenIndex: produced,
      chunk: { requestId, tokenIds: [], finishReason: 'FINISH_REASON_LENGTH', usage: usage() },
    });
    return;
  }
  for (let i = produced; ; i++) {
    const token = b.script[Math.min(i, b.script.length - 1)] as number;
    await stopped.sleep(b.tokenIntervalSeconds);
    if (stopped.value) {
      // As the real decode worker does: a cancelled sequence ends with a cancelled finish and its usage.
      b.cancelledStreams.push(requestId);
      emit({
        firstTokenIndex: produced,
        chunk: {
          requestId,
          tokenIds: [],
          finishReason: 'FINISH_REASON_CANCELLED',
          emittedAfterSeconds: since(),
          usage: usage(),
          timings: { queueSeconds: 0, kvReceiveSeconds: 0, decodeSeconds: since() },
        },
      });
      return;
    }
    produced += 1;
    const isStop = (req.sampling?.stopTokenIds ?? []).includes(token);
    const last = isStop || produced >= req.maxTokens;
    emit({
      firstTokenIndex: i,
      chunk: {
        requestId,
        tokenIds: [token],
        emittedAfterSeconds: since(),
        stepSeconds: b.tokenIntervalSeconds,
        ...(req.sampling?.logprobs ? { logprobs: [scriptedLogprob(token, i)] } : {}),
        ...(last
          ? {
              finishReason: isStop ? 'FINISH_REASON_STOP' : 'FINISH_REASON_LENGTH',
              usage: usage(),
              timings: { queueSeconds: 0, kvReceiveSeconds: 0, decodeSeconds: since() },
            }
          : {}),
      },
    });
    if (last) {
      b.finishedStreams.push(requestId);
      return;
    }
  }
}
