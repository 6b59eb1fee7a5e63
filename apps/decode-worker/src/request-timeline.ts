// The times of one Decode call: @oicf/engine's RequestTimeline (the cluster twin times its simulated
// requests with the same rule). Re-export only.
export { RequestTimeline, type RequestTimes } from '@oicf/engine';
