# Clean / within-±10 % counts per variant from two judged tables (step-time-judge.ts's .md), side by side:
# python3 packages/kernels/bench/results/step-time-r5-bimodal-raw/compare.py <round5.md> <other.md>
# Counts use the tables' printed (rounded) errors, |error| ≤ 10.0 %.
import re, sys
def rows(f):
    out = {}
    for l in open(f):
        m = re.match(r'\| (tiny-\S+ \S+ (?:prefill \d+|decode b\d+ L\d+))( ✗)? \| ([\d.]+) \| ([\d.]+) \| ([+-][\d.]+) %', l)
        if m: out[m.group(1)] = (m.group(2) is None, float(m.group(5)))
    return out
def in_issue_range(k):
    if 'prefill' in k: return int(k.split()[-1]) >= 256
    b = int(re.search(r'b(\d+)', k).group(1)); L = int(re.search(r'L(\d+)', k).group(1))
    return b in (1, 16) and L >= 1024
a, b = rows(sys.argv[1]), rows(sys.argv[2])
for v in ['mha', 'gqa', 'mla', 'moe', '']:
    for rng in (False, True):
        ks = [k for k in a if f'tiny-{v}' in k and (in_issue_range(k) or not rng)]
        def cnt(d):
            c = [k for k in ks if k in d and d[k][0]]
            return f'{len(c)} clean, {len([k for k in c if abs(d[k][1]) <= 10])} within'
        print(f"{v or 'all':4} {'issue range' if rng else 'all points '} ({len(ks):3}): {cnt(a):22} | {cnt(b)}")
