#!/usr/bin/env python3
"""bench/peers.sh's summary: each run's rate, p99, rows verified and CPU per text, then the ratios.

Arguments: the peers' results folder, the runs file (name and the time its load ended), the
samples file (time, CPU ticks of the hub, of Node-RED and of PostgreSQL, the hub's backlog), the
load's duration in seconds and the clock ticks per second.
"""
import json
import statistics
import sys

results, runs_file, samples_file, duration, hz = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
samples = [tuple(float(x) for x in line.split()) for line in open(samples_file) if len(line.split()) == 5]


def at(t, column):
    """The column's value at time t, from the nearest sample at or before it."""
    before = [s for s in samples if s[0] <= t]
    return (before[-1] if before else samples[0])[column]


def drained(end):
    """When the hub's backlog was 0 again after the load ended (the first sample at or after it)."""
    for s in samples:
        if s[0] >= end and s[4] == 0:
            return s[0]
    return None


rows = []
for line in open(runs_file):
    name, end = line.split()
    end = float(end)
    r = json.load(open(f"{results}/{name}.json"))
    hub = name.startswith("hub")
    texts = r["totals"]["s2xx"]
    stop = end
    backlog = ""
    if hub:
        back = drained(end)
        stop = back if back is not None else end
        backlog = "never 0" if back is None else f"{max(0.0, back - end):.2f} s"
    start = end - duration
    server = 1 if hub else 2
    ms = lambda col: (at(stop, col) - at(start, col)) * 1000 / hz / max(texts, 1)
    verify = r.get("verify") or {}
    rows.append(dict(name=name, hub=hub, rate=r["rps_2xx"], p99=r["latency_ms"]["p99"], texts=texts, backlog=backlog,
                     server_ms=ms(server), pg_ms=ms(3), ok=verify.get("ok"),
                     problems="; ".join(verify.get("problems", []))[:80]))

print()
print("| run | requests/s | p99 ms | texts | backlog 0 after load | CPU per text: server + PostgreSQL ms | rows verified |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for x in rows:
    print(f"| {x['name']} | {x['rate']:.0f} | {x['p99']:.1f} | {x['texts']} | {x['backlog'] or '-'} |"
          f" {x['server_ms']:.3f} + {x['pg_ms']:.3f} = {x['server_ms'] + x['pg_ms']:.3f} | {'OK' if x['ok'] else 'FAIL ' + x['problems']} |")
hubs = [x for x in rows if x["hub"]]
reds = [x for x in rows if not x["hub"]]
if hubs and reds:
    ratios = [h["rate"] / n["rate"] for h, n in zip(hubs, reds)]
    med = lambda xs: statistics.median(xs)
    print()
    rates = lambda xs: ", ".join("%.0f" % x["rate"] for x in xs)
    print(f"hub median {med([h['rate'] for h in hubs]):.0f}/s (runs {rates(hubs)}),"
          f" Node-RED median {med([n['rate'] for n in reds]):.0f}/s (runs {rates(reds)})")
    print(f"ratio hub / Node-RED per pair: {', '.join(f'{r:.2f}' for r in ratios)}; median {med(ratios):.2f},"
          f" spread {min(ratios):.2f}-{max(ratios):.2f}")
    print(f"CPU per text, medians: hub {med([h['server_ms'] for h in hubs]):.3f} + PostgreSQL {med([h['pg_ms'] for h in hubs]):.3f} ms;"
          f" Node-RED {med([n['server_ms'] for n in reds]):.3f} + PostgreSQL {med([n['pg_ms'] for n in reds]):.3f} ms")
