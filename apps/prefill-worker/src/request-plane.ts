// The prefill worker's end of the request plane (request_plane.proto), on its ws port: `prefill` runs one
// request and answers `prefill.done` (or `error`) under its id; `cancel` stops one of this connection's
// requests; a connection that closes stops all of its requests. Any other frame is refused: this worker
// pushes KV, it holds none.
import type { PrefillRequest__Output, PrefillResponse } from '@oicf/proto';
import { type Frame, OicfError, type PlaneSessions, toOicfError, type WsConnection } from '@oicf/transport';
import type { PrefillCall } from './prefill-core.js';

/** Runs one prefill (metrics and logging included): the same function the gRPC Prefill method calls. */
export type RunPrefill = (req: PrefillRequest__Output, call: PrefillCall) => Promise<PrefillResponse>;

export function prefillPlaneHandler(run: RunPrefill, sessions: PlaneSessions) {
  return (frame: Frame, conn: WsConnection): void => {
    const session = sessions.of(conn);
    switch (frame.kind) {
      case 'plane.credit':
        session.grant(frame.body.numFrames);
        return;
      case 'cancel':
        session.requests.get(frame.body.requestId)?.(frame.body.reason);
        return;
      case 'prefill': {
        const id = frame.id;
        // A prefill is milliseconds to seconds of compute: one AbortController per request is noise here.
        const abort = new AbortController();
        session.open(id, frame.body.requestId, () => abort.abort());
        const work = run(frame.body, { signal: abort.signal }).then(
          (res) => conn.post('prefill.done', id, res),
          (err: unknown) => conn.sendError(id, toOicfError(err)),
        );
        conn.track(work.catch(() => {}).finally(() => session.requests.delete(id)));
        return;
      }
      default:
        throw new OicfError(
          'UNIMPLEMENTED',
          `a prefill worker accepts no ${frame.kind} frames: it pushes KV, it does not hold any`,
        );
    }
  };
}
