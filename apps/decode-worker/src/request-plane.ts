// The decode worker's end of the request plane (request_plane.proto), on its ws port beside the KV data
// plane: `decode` starts a request whose outputs join this connection's step outbox (one `decode.step`
// frame per engine step for all of them), `cancel` stops one of this connection's requests, `plane.credit`
// lets more step frames out. A request that fails before its first output is answered with an `error` frame
// under its id. When the connection closes, every request that came over it is stopped, so its KV is freed.
import {
  type Frame,
  OicfError,
  type PlaneOutput,
  type PlaneSessions,
  toOicfError,
  type WsConnection,
} from '@oicf/transport';
import type { DecodeService } from './decode-service.js';

export function decodePlaneHandler(decoder: DecodeService, sessions: PlaneSessions) {
  return (frame: Frame, conn: WsConnection): void => {
    const session = sessions.of(conn);
    switch (frame.kind) {
      case 'plane.credit':
        session.grant(frame.body.numFrames);
        return;
      case 'cancel': {
        // Only this connection's requests: another router cannot stop them. A cancel for a request that never
        // started a decode here drops its unclaimed KV handoff (the router ended it after its prefill).
        const stop = session.requests.get(frame.body.requestId);
        if (stop !== undefined) stop(frame.body.reason);
        else decoder.dropHandoff(frame.body.requestId);
        return;
      }
      case 'decode': {
        const id = frame.id;
        session.open(id, frame.body.requestId, (reason) => decoder.stop(id, reason));
        let ended: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          ended = resolve;
        });
        conn.track(finished); // a drain waits for the stream, without holding a handler slot
        const sink = {
          output: (output: PlaneOutput) => {
            session.output(output);
            if (output.chunk.finishReason === undefined) return;
            session.requests.delete(id);
            ended();
          },
        };
        decoder.start(frame.body, sink).catch((err: unknown) => {
          session.requests.delete(id);
          ended();
          conn.sendError(id, toOicfError(err)).catch(() => {});
        });
        return;
      }
      default:
        throw new OicfError('UNIMPLEMENTED', `a decode worker takes no ${frame.kind} frames on its request plane`);
    }
  };
}
