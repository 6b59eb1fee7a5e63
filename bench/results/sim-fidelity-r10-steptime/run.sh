#!/bin/sh
# Round 10: the served model's kernels (tiny-gqa fp32, 1 onnxruntime thread) measured on this VM and fitted
# for the twin. Run from the repository root. Each measuring step takes the bench lock.
set -e
RAW=packages/kernels/bench/results/step-time-r10-raw
OUT=bench/results/sim-fidelity-r10-steptime
mkdir -p "$RAW" "$OUT"
flock /work/bench.lock node --import tsx packages/kernels/bench/step-time-repeats.bench.ts --variants gqa --precisions fp32 \
  --repeats 5 --out "$RAW/gqa-fp32.json"
flock /work/bench.lock node --import tsx packages/kernels/bench/step-time-repeats.bench.ts --variants gqa --precisions fp32 \
  --prefill-tokens 2048,4096,6144,8192 --prefill-only --repeats 3 --out "$RAW/gqa-fp32-long-prefill.json"
node --import tsx packages/kernels/bench/step-time-judge.ts "$RAW/gqa-fp32.json" "$RAW/gqa-fp32-long-prefill.json" \
  --out "$OUT/step-time-judged"
node --import tsx bench/sim-fidelity-step-time.ts --judged "$OUT/step-time-judged.json" --only 'tiny-gqa fp32' \
  --out "$OUT/step-time.json"
# 21:48: the first 5 repeats left 9 of 22 points clean (repeat spread median 25.6 %; helpers were installing
# beside repeats 1–5): 5 more repeats appended, then judged and fitted again.
flock /work/bench.lock node --import tsx packages/kernels/bench/step-time-repeats.bench.ts --variants gqa --precisions fp32 \
  --repeats 5 --append --out "$RAW/gqa-fp32.json"
node --import tsx packages/kernels/bench/step-time-judge.ts "$RAW/gqa-fp32.json" "$RAW/gqa-fp32-long-prefill.json" \
  --out "$OUT/step-time-judged"
node --import tsx bench/sim-fidelity-step-time.ts --judged "$OUT/step-time-judged.json" --only 'tiny-gqa fp32' \
  --out "$OUT/step-time.json"
