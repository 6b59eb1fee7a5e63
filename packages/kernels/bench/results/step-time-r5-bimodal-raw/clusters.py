# Repeat figures of the decode points whose repeats spread > 20 %, as ratios to the point's fastest
# repeat, one column per repeat in time order (the quiet-ish first 9 repeats of each round-5 file):
# python3 packages/kernels/bench/results/step-time-r5-bimodal-raw/clusters.py <repeats.json>...
# With a round-5b file (read probe recorded), also each repeat's 16/64 MiB probe rate (median over points).
import json, statistics as st, sys
def key(p): return (p['variant'], p['weights'], p['phase'], p['batch'], p['contextTokens'][0] if p['phase'] == 'decode' else p['newTokens'])
for f in sys.argv[1:]:
    R = json.load(open(f))['repeats'][:9]
    pts = {}
    for ri, r in enumerate(R):
        for p in r['points']:
            q = [x for x, qq in zip(p['runsSeconds'], p['quality']) if (qq.get('computeWaitFraction') or 0) <= 0.05]
            pts.setdefault(key(p), [None] * len(R))[ri] = st.median(q) * 1e3 if len(q) >= len(p['runsSeconds']) / 2 else None
    print(f)
    print('  repeats start', ' '.join(r['startedAt'][11:19] for r in R))
    if 'readProbe' in R[0]['points'][0]:
        for i, mib in enumerate(R[0]['points'][0]['readProbe']):
            print('  probe %3d MiB GB/s' % mib['mib'], ' '.join('%5.1f' % st.median(p['readProbe'][i]['gbps'] for p in r['points']) for r in R))
        print('  steal CPUs', ' '.join('%.4f' % (r.get('stealCpus') or 0) for r in R))
    for k, v in pts.items():
        ok = [x for x in v if x]
        if len(ok) < 5 or k[2] != 'decode': continue
        m = min(ok)
        if (max(ok) - m) / st.median(ok) > 0.2:
            print('  %-34s' % (' '.join(map(str, k))), ' '.join('%5.2f' % (x / m) if x else '  -  ' for x in v), ' fastest %.2f ms' % m)
