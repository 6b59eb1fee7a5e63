// @oicf/worker/speeds: the heartbeat speed tracker alone (pure: no onnxruntime, sockets or metrics), for
// hosts that simulate workers. Re-exports only.
export { Ewma } from './metrics/ewma.js';
export { LinearFit } from './metrics/linear-fit.js';
export { StepSpeeds, type StepSpeedsReport } from './metrics/step-speeds.js';
