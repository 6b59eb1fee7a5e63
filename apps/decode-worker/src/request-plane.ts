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
      case 'cancel':
        // Only this connection's requests: another router cannot stop them.
        session.requests.get(frame.body.requestId)?.(frame.body.reason);
        return;
      case 'decode': {
        const id = frame.id;
        if (frame.body.requestId !== id) {
          throw new OicfError(
            'INVALID_ARGUMENT',
            `request_id ${frame.body.requestId} differs from the frame id ${id}`,
            {
              field: 'request_id',
            },
          );
        }
        if (session.requests.has(id)) {
          throw new OicfError('ALREADY_EXISTS', `request ${id} is already open on this connection`);
        }
        let ended: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          ended = resolve;
        });
        session.requests.set(id, (reason) => decoder.stop(id, reason));
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
