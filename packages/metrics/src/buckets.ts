// Histogram bucket presets, copied from vLLM so dashboards built for vLLM compare directly.
// Source: vllm-project/vllm, vllm/v1/metrics/loggers.py, PrometheusStatLogger.__init__ (read at commit
// 005a810bc40faa25b8870fbc8559c3462581eee3; the inter-token list is the one vLLM uses for both
// vllm:time_per_output_token_seconds and its later replacement vllm:inter_token_latency_seconds).

/** vllm:time_to_first_token_seconds (22 bounds, 1 ms … 2560 s). */
export const TTFT_SECONDS_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0,
  640.0, 2560.0,
];

/** vllm:inter_token_latency_seconds and vllm:time_per_output_token_seconds (19 bounds, 10 ms … 80 s). */
export const INTER_TOKEN_LATENCY_SECONDS_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
];

/**
 * vLLM's `request_latency_buckets` (21 bounds, 0.3 s … 7680 s), shared by vllm:e2e_request_latency_seconds,
 * vllm:request_queue_time_seconds, vllm:request_inference_time_seconds, vllm:request_prefill_time_seconds and
 * vllm:request_decode_time_seconds.
 */
export const REQUEST_LATENCY_SECONDS_BUCKETS: readonly number[] = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0,
  7680.0,
];

/** vllm:time_per_prefill_token_request_seconds (10 bounds). */
export const PREFILL_TOKEN_SECONDS_BUCKETS: readonly number[] = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0,
];

/** vllm:iteration_tokens_total: tokens per engine step (13 bounds). */
export const ITERATION_TOKENS_BUCKETS: readonly number[] = [
  1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
];

/**
 * vLLM's build_1_2_5_buckets(max): 1, 2, 5, 10, 20, 50, … up to `maxValue` inclusive; used for token-count
 * histograms (prompt tokens, generation tokens, max_tokens) with max = the model's context length.
 */
export function buckets125(maxValue: number): number[] {
  const out: number[] = [];
  for (let scale = 1; ; scale *= 10) {
    for (const m of [1, 2, 5]) {
      if (m * scale > maxValue) return out;
      out.push(m * scale);
    }
  }
}

/**
 * Not from vLLM (it has no KV-transfer histogram): KV block transfer time across tiers and links, 10 µs …
 * 10 s, to resolve loopback copies (tens of µs) as well as paced far-tier reads (seconds).
 */
export const KV_TRANSFER_SECONDS_BUCKETS: readonly number[] = [
  0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
