// Public types of @oicf/core. Other packages code against these; change them only additively.
// Units are in the names (bytes, seconds, FLOPs, tokens); counts start with `num`.
// Conventions for every formula are in docs/oicf.md.
// Split by concept under types/; this file gathers them so `../types.js` imports stay one path.

export type * from './types/analysis.js';
export type * from './types/catalog.js';
export type * from './types/economics.js';
export type * from './types/result.js';
export type * from './types/sweep.js';
