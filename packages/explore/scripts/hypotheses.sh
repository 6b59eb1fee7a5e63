#!/bin/sh
# Every run behind docs/hypotheses.md, in order: `oicf explore` per experiment (results under out/hypotheses/),
# then the report tables and the committed charts (docs/img/). Run from the repository root:
#   sh packages/explore/scripts/hypotheses.sh [experiment...]      (default: all; e.g. h1 h3)
# Each `oicf explore` line is the exact command the document quotes.
set -eu
OICF="node --import tsx apps/cli/src/main.ts"
REPORT="node --import tsx packages/explore/scripts/hypothesis-report.ts"
S=packages/explore/spaces
O=out/hypotheses
CODING="--workload coding --sessions-per-second 0.1 --duration 600 --slo ttft=5,tpot=100ms"
CU="--workload computer-use --sessions-per-second 0.2 --duration 600 --slo ttft=2,tpot=100ms"
CHAT="--workload chat --sessions-per-second 2 --duration 600 --slo ttft=2.5,tpot=150ms"
want() { [ $# -eq 0 ] || [ -z "${ONLY:-}" ] || echo " $ONLY " | grep -q " $1 "; }
ONLY="$*"

if want h1; then
  for w in coding computer-use; do
    if [ "$w" = coding ]; then ARGS=$CODING; else ARGS=$CU; fi
    for f in specialised cpx-h200 h100 b200; do
      $OICF explore $ARGS --space $S/h1-$f.json --simulate-top 12 --workers 2 --out $O/h1-$w-$f >/dev/null
    done
    $REPORT --svg docs/img/h1-$w.svg --title "H1, $w agent: goodput per \$ and per kW" \
      specialised=$O/h1-$w-specialised/explore.json cpx+H200=$O/h1-$w-cpx-h200/explore.json \
      all-H100=$O/h1-$w-h100/explore.json all-B200=$O/h1-$w-b200/explore.json > $O/h1-$w.md
    $REPORT --min-attainment 0.9 specialised=$O/h1-$w-specialised/explore.json cpx+H200=$O/h1-$w-cpx-h200/explore.json \
      all-H100=$O/h1-$w-h100/explore.json all-B200=$O/h1-$w-b200/explore.json > $O/h1-$w-90.md
  done
fi

if want h2; then
  node --import tsx packages/explore/scripts/capacity-wall.ts --model deepseek-v3 > $O/h2-wall-deepseek.md
  node --import tsx packages/explore/scripts/capacity-wall.ts --model llama-3.1-70b \
    --domains h100:8,b200:8,gb200:8,gb200:16,gb200:32,gb200:64 > $O/h2-wall-llama.md
  for f in hgx8 nvl72; do
    $OICF explore $CODING --space $S/h2-$f.json --simulate-top 16 --workers 2 --out $O/h2-$f >/dev/null
  done
  $REPORT --svg docs/img/h2.svg --title 'H2, DeepSeek-V3 coding agent: HGX 8-GPU vs NVL72 domains' \
    HGX-B200-x8=$O/h2-hgx8/explore.json NVL72-GB200=$O/h2-nvl72/explore.json > $O/h2.md
  $REPORT --group 'd=(\S+ tp\d+)' NVL72=$O/h2-nvl72/explore.json > $O/h2-by-tp.md
  # six times the sessions, prefill fixed at six B200 x8: the load at which one decode domain hits its wall
  $OICF explore --workload coding --sessions-per-second 0.6 --duration 600 --slo ttft=5,tpot=100ms \
    --space $S/h2-load.json --simulate-top 30 --workers 2 --out $O/h2-load >/dev/null
  $REPORT --group 'd=(\S+ tp\d+)' --svg docs/img/h2-load.svg \
    --title 'H2 at 0.6 coding sessions/s: decode domains of 8-64 GPUs (DeepSeek-V3)' \
    load=$O/h2-load/explore.json > $O/h2-load.md
fi

if want h3; then
  $OICF explore --workload coding --sessions-per-second 0.2 --duration 600 --slo ttft=5,tpot=100ms \
    --space $S/h3-optical.json --simulate-top 108 --workers 2 --out $O/h3 >/dev/null
  $REPORT --group 'kv=(\S+)' --svg docs/img/h3.svg --title 'H3: KV tiers below HBM on H100 decode, coding agent' \
    h3=$O/h3/explore.json > $O/h3.md
  node --import tsx packages/explore/scripts/pivot-report.ts --rows 'kv=(\S+)' --columns 'd=(\S+ tp\d+)' \
    $O/h3/explore.json > $O/h3-grid.md
fi

if want h4; then
  $OICF explore $CODING --space $S/h4-mixed.json --simulate-top 9 --workers 2 --out $O/h4-mixed >/dev/null
  HALF="--workload coding --sessions-per-second 0.05 --duration 600 --slo ttft=5,tpot=100ms"
  for p in h100-tp4x1 lpddr-x2 h200-tp2x1 b200-tp2x1 h100-tp2x2 h200-tp1x2; do
    $OICF explore $HALF --space $S/h4-pool-$p.json --simulate-top 3 --out $O/h4-pool-$p >/dev/null
  done
  $REPORT --group 'd=(.*) \S+$' mixed=$O/h4-mixed/explore.json > $O/h4-mixed.md
  node --import tsx packages/explore/scripts/h4-pools.ts $O/h4-mixed/explore.json $O/h4-pool-*/explore.json > $O/h4.md
fi

if want published; then
  $OICF explore $CHAT --space $S/splitwise.json --simulate-top 24 --workers 2 --out $O/splitwise >/dev/null
  $OICF explore $CHAT --space $S/distserve.json --simulate-top 40 --workers 2 --out $O/distserve >/dev/null
  MEL="--workload chat --sessions-per-second 4 --duration 600 --slo ttft=2,tpot=120ms"
  $OICF explore $MEL --space $S/melange-single.json --simulate-top 24 --workers 2 --out $O/melange-single >/dev/null
  $OICF explore $MEL --space $S/melange-mixed.json --simulate-top 12 --workers 2 --out $O/melange-mixed >/dev/null
  $REPORT --group '^(col|dis)' splitwise=$O/splitwise/explore.json distserve=$O/distserve/explore.json > $O/published-modes.md
  # DistServe's measure: the highest rate each design holds at >= 90 % attainment, per GPU
  for r in 2 4 6 8 12; do
    $OICF explore --workload chat --sessions-per-second $r --duration 600 --slo ttft=2.5,tpot=150ms \
      --space $S/distserve-pair.json --simulate-top 2 --workers 2 --out $O/distserve-rate-$r >/dev/null
  done
  node --import tsx packages/explore/scripts/rate-sweep.ts $(for r in 2 4 6 8 12; do echo $r=$O/distserve-rate-$r/explore.json; done) \
    > $O/distserve-rate.md
  # Splitwise's measure at iso-cost: two 8-GPU machines colocated vs one prompt + one token machine
  for r in 6 12 24 36 48; do
    $OICF explore --workload chat --sessions-per-second $r --duration 600 --slo ttft=2.5,tpot=150ms \
      --space $S/splitwise-pair.json --simulate-top 4 --workers 2 --out $O/splitwise-rate-$r >/dev/null
  done
  node --import tsx packages/explore/scripts/rate-sweep.ts $(for r in 6 12 24 36 48; do echo $r=$O/splitwise-rate-$r/explore.json; done) \
    > $O/splitwise-rate.md
  $REPORT --group 'both=(\S+)' single=$O/melange-single/explore.json mixed=$O/melange-mixed/explore.json > $O/melange.md
fi

# the tables of docs/hypotheses.md from the reports above (the prose is by hand: reread it after a rerun)
node --import tsx packages/explore/scripts/fill-hypotheses-doc.ts docs/hypotheses.md
npx biome format --write docs/hypotheses.md >/dev/null
