# The decode workers' figures of each real mode-a run in <outdir>/{A,B}-{1,2} (worker-metrics.json, as the twin's windows).
import json, glob, collections, sys
out = sys.argv[1]
def fig(side, i):
    f = glob.glob(f"{out}/{side}-{i}/**/worker-metrics.json", recursive=True)[0]
    d = json.load(open(f)); a = collections.defaultdict(float); proc = 0.0
    for wid, ms in d.items():
        if not wid.startswith("decode"): continue
        for m in ms:
            n, l = m["name"], m["labels"]
            if n.startswith("process_cpu_") and n.endswith("seconds_total"): proc += m["value"]
            if n == "oicf_decode_loop_cpu_seconds_total": a[l["part"]] += m["value"]
            if n == "oicf_decode_loop_part_steps_total": a["n_" + l["part"]] += m["value"]
    k = a["step"] + a["step_after_wait"]; nk = a["n_step"] + a["n_step_after_wait"]
    return dict(proc=proc, kstep=k, steps=nk, per=[a[p] / a["n_" + p] * 1e3 for p in ("turn", "pace", "flush")])
print("| pair | decode process CPU s A / B | kernel-step CPU s A / B | steps A / B | turn/pace/flush ms per iteration A | B |")
print("| ---: | --- | --- | --- | --- | --- |")
hi = 0
for i in (1, 2):
    a, b = fig("A", i), fig("B", i)
    hi += b["proc"] >= 1.15 * a["proc"]
    f = lambda x: " / ".join(f"{v:.2f}" for v in x["per"])
    print(f"| {i} | {a['proc']:.1f} / {b['proc']:.1f} | {a['kstep']:.1f} / {b['kstep']:.1f} | {a['steps']:.0f} / {b['steps']:.0f} | {f(a)} | {f(b)} |")
print(f"\nB's decode process CPU ≥ 1.15 × A's in {hi} of 2 pairs:", "the window-12 rise REPRODUCES with the code" if hi == 2 else "not reproduced by the code")
