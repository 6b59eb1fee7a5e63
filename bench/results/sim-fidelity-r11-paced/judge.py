#!/usr/bin/env python3
"""Round 11 paced-loop candidate judgement (CANDIDATE-RULE.md; bench/results/sim-fidelity-r11-split/judge.py unchanged but for this line): the 12 figures of issue 12 for main's twin and the candidate's,
each from its twin's sim-fidelity.json (`spread`: the real runs' values and the twin's), against the real runs' mean as
the window's README table reports it; the median real run beside it for information (not the verdict).
Usage: python3 judge.py <main twin sim-fidelity.json> <candidate twin sim-fidelity.json>"""
import json, statistics, sys

NAMES = ['TTFT p50', 'TTFT p90', 'TPOT p50', 'TPOT p90', 'throughput req/s', 'prefix hit ratio']


def figures(path):
    out = {}
    for m in json.load(open(path))['modes']:
        for f in m['spread']:
            if f['figure'] not in NAMES:
                continue
            hit = f['figure'] == 'prefix hit ratio'
            row = {}
            for ref, real in (('mean', f['realMean']), ('median', statistics.median(f['realValues']))):
                err = (f['sim'] - real) * 100 if hit else (f['sim'] - real) / real * 100
                row[ref] = (err, abs(err) <= (2 if hit else 10))
            out[(m['mode'], f['figure'])] = row
    return out


main, cand = figures(sys.argv[1]), figures(sys.argv[2])
keys = [(mode, n) for mode in 'ab' for n in NAMES]
print('| figure | mode | main’s twin (vs mean) | candidate (vs mean) | main (vs median) | candidate (vs median) |')
print('| --- | --- | ---: | ---: | ---: | ---: |')
cell = lambda v: f"**{v[0]:+.1f}**" if v[1] else f"{v[0]:+.1f}"
for k in keys:
    print(f"| {k[1]} | {k[0]} | {cell(main[k]['mean'])} | {cell(cand[k]['mean'])} | {cell(main[k]['median'])} | {cell(cand[k]['median'])} |")
n_main = sum(main[k]['mean'][1] for k in keys)
n_cand = sum(cand[k]['mean'][1] for k in keys)
lost = [k for k in keys if main[k]['mean'][1] and not cand[k]['mean'][1]]
print()
print(f'within the goal (vs mean; % or pt): candidate {n_cand} of 12, main’s twin {n_main}; within for main and out for the candidate: {lost or "none"}')
print(f"(vs median, information only: candidate {sum(cand[k]['median'][1] for k in keys)}, main’s twin {sum(main[k]['median'][1] for k in keys)})")
print('verdict:', 'KEPT' if n_cand > n_main and not lost else 'NOT KEPT')
