// Worker-thread entry: the explorer runs from TypeScript sources under tsx, and a worker thread does not
// inherit the parent's tsx loader for its entry file (Node 20), so this plain-JS entry registers tsx and then
// imports the TypeScript worker named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
