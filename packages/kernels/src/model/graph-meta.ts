/** Graph metadata keys (ModelProto.metadata_props) the builders write and the counter reads. */

/** The TinyModelConfig the graph was built from (stable JSON, see configKey). */
export const META_CONFIG = 'oicf.config';
/** 'prefill' or 'decode'. */
export const META_KIND = 'oicf.kind';
/** MoE values whose size depends on routing (JSON list of MoeDynamicDim). */
export const META_MOE_DYNAMIC = 'oicf.moe.dynamic';
