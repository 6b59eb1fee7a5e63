export * from './engine.js';
export * from './prefill-fifo.js';
export * from './request-timeline.js';
export * from './types.js';
