# Window 9's rule (PURPOSE.md), applied to the two windows' README tables and ttft-parts.md files.
#   python3 bench/results/sim-fidelity-r9/judge.py bench/results/sim-fidelity-r9 bench/results/sim-fidelity-r9-main
import re, sys

FIGS = ['TTFT p50', 'TTFT p90', 'TPOT p50', 'TPOT p90', 'throughput req/s', 'prefix hit ratio']

def errors(readme):
    """{(mode, figure): error (% or pt)} from the README's first table: columns per mode real, spread, twin, error."""
    out = {}
    for line in open(readme):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) < 11 or cells[0] not in FIGS:
            continue
        for mode, col in (('a', 4), ('b', 9)):
            v = cells[col].replace('*', '').replace('−', '-').replace('%', '').replace('pt', '').strip()
            out[(mode, cells[0])] = float(v)
        if len(out) == 2 * len(FIGS):
            break
    return out

def within(fig, e):
    return abs(e) <= (2.0 if fig == 'prefix hit ratio' else 10.0)

def rests(parts):
    """[(run, real mean rest, twin mean rest)] from ttft-parts.md."""
    out, run = [], None
    for line in open(parts):
        m = re.match(r'## mode (\w), (\S+):', line)
        if m:
            run = m.group(2)
        m = re.match(r'\| rest \| (-?[\d.]+) \| (-?[\d.]+) \|', line)
        if m and run:
            out.append((run, float(m.group(1)), float(m.group(2))))
    return out

cand, main = sys.argv[1], sys.argv[2]
ec, em = errors(f'{cand}/README.md'), errors(f'{main}/README.md')
print('| figure | mode | main’s twin error | candidate error |\n| --- | --- | ---: | ---: |')
for mode in 'ab':
    for f in FIGS:
        m, c = em[(mode, f)], ec[(mode, f)]
        b = lambda x: f'**{x:+.1f}**' if within(f, x) else f'{x:+.1f}'
        print(f'| {f} | {mode} | {b(m)} | {b(c)} |')
nc = sum(within(f, e) for (_, f), e in ec.items())
nm = sum(within(f, e) for (_, f), e in em.items())
lost = [k for k in em if within(k[1], em[k]) and not within(k[1], ec[k])]
lat = [k for k in ec if k[1] != 'prefix hit ratio']
mc = sum(abs(ec[k]) for k in lat) / len(lat)
mm = sum(abs(em[k]) for k in lat) / len(lat)
rs = rests(f'{cand}/ttft-parts.md')
rest_ok = len(rs) == 6 and all(abs(t - r) <= 0.3 * abs(r) for _, r, t in rs)
print(f'\nwithin the goal: candidate {nc} of 12, main’s twin {nm}; lost by the candidate: {lost or "none"}')
print(f'mean |error| over the 10 latency and throughput figures: candidate {mc:.2f} %, main’s twin {mm:.2f} %')
print('TTFT rest (real mean, candidate twin mean): ' + ', '.join(f'{run} {r:.3f} / {t:.3f}' for run, r, t in rs))
keep = not lost and (nc > nm or (nc == nm and mm - mc >= 1.0 and rest_ok))
print(f'rest within ±30 % in all 6 runs: {rest_ok}\nverdict: {"KEPT" if keep else "NOT KEPT"}')
