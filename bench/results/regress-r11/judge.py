# Prints the per-pair figures and the verdict of bench/results/regress-r11-rule.md from <outdir>/{A,B}-{1,2,3}.json.
import json, sys
out = sys.argv[1]
def load(side, i):
    r = json.load(open(f"{out}/{side}-{i}.json"))["runs"][0]
    c = r["cluster"]; cpu = c["cpuSecondsByService"]
    dec = sum(v for k, v in cpu.items() if k.startswith("decode"))
    return dict(tps=c["tokensPerSecond"], cpu=sum(cpu.values()) * 1e3 / c["outputTokens"],
                dec=dec * 1e3 / c["outputTokens"], other=r["otherCores"].get("cluster"),
                load=r["loadBefore"][0])
worse_tps = worse_cpu = worse_dec = valid = 0
print("| pair | A tokens/s | B tokens/s | A CPU ms/token | B CPU ms/token | A decode CPU ms/token | B decode CPU ms/token | other cores A / B | load1 A / B |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
for i in (1, 2, 3):
    a, b = load("A", i), load("B", i)
    ok = all(x["other"] is not None and x["other"] <= 0.1 for x in (a, b))
    valid += ok
    worse_tps += b["tps"] < a["tps"]; worse_cpu += b["cpu"] > a["cpu"]; worse_dec += b["dec"] > a["dec"]
    print(f"| {i}{'' if ok else ' (invalid)'} | {a['tps']:.1f} | {b['tps']:.1f} | {a['cpu']:.3f} | {b['cpu']:.3f} | {a['dec']:.3f} | {b['dec']:.3f} | {a['other']:.2f} / {b['other']:.2f} | {a['load']} / {b['load']} |")
print(f"\nvalid pairs {valid}/3; main (B) lower tokens/s in {worse_tps}/3, higher cluster CPU/token in {worse_cpu}/3, higher decode CPU/token in {worse_dec}/3")
reg = worse_tps == 3 and worse_cpu == 3
print("verdict:", "REGRESSION (main slower and costlier in 3 of 3 pairs)" if reg else "no regression by the rule")
print("decode-side:", "main's decode workers costlier in 3 of 3 pairs" if worse_dec == 3 else "not 3 of 3")
