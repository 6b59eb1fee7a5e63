// @oicf/explore/node: what needs Node (worker threads, files). Re-exports only.
export { DEFAULT_SPACE_FILE, readSpaceFile, type SpaceFileRead } from './read-space-file.js';
export { ExploreWorkerPool } from './worker-pool.js';
export type { WorkerInit } from './worker-protocol.js';
