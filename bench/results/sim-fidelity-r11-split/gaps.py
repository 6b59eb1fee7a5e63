#!/usr/bin/env python3
# Run from bench/results/sim-fidelity-r11-split.
"""The first inter-token gap after the first token (p50) and the later gaps (mean), and TPOT p50 without the first
gap, per run: window 11's real runs, main's twin and the candidate's (each replay.json's ok requests)."""
import json, statistics, sys
M = '../sim-fidelity-r11/twin/sim-fidelity'
C = 'twin/sim-fidelity'
R = '../sim-fidelity-r11/judged/sim-fidelity'


def row(label, path):
    recs = [r for r in json.load(open(path))['requests'] if r.get('status') == 'ok' and len(r.get('interTokenSeconds') or []) >= 1]
    first = [r['interTokenSeconds'][0] for r in recs]
    later = [g for r in recs for g in r['interTokenSeconds'][1:]]
    tpot = [statistics.mean(r['interTokenSeconds'][1:]) for r in recs if len(r['interTokenSeconds']) >= 2]
    print(f"| {label} | {statistics.median(first)*1e3:.0f} ms | {statistics.mean(later)*1e3:.1f} ms | {statistics.median(tpot)*1e3:.1f} ms |")


print('| run | first gap p50 | later gaps, mean | TPOT p50 without the first gap |')
print('| --- | ---: | ---: | ---: |')
for mode in 'ab':
    for i in (1, 2, 3):
        row(f'real, mode {mode}, run {i}', f'{R}/{mode}-real-{i}/replay.json')
    row(f"main's twin, mode {mode}", f'{M}/{mode}-sim/replay.json')
    row(f'candidate, mode {mode}', f'{C}/{mode}-sim/replay.json')
