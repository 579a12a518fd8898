"""Summarises bench/sdk-cold.sh's runs: per client, the median added latency (through the proxy minus direct to the
simulator) of Converse over calls 1-100, 101-1,000 and 1,001-3,000, and of a ConverseStream's first event.

    python3 bench/sdk/cold-summary.py DIR CLIENT...   # DIR holds CLIENT-direct and CLIENT-proxy, as the clients print
"""
import statistics
import sys

WINDOWS = [(1, 100), (101, 1000), (1001, 3000)]


def medians(path, op, column):
    calls = [line.split() for line in open(path) if line.strip()]
    out = []
    for low, high in WINDOWS:
        values = [int(c[column]) for c in calls if c[1] == op and low <= int(c[0]) <= high]
        out.append(statistics.median(values) if values else None)
    return out


def cells(direct, proxy):
    return [f"{(p - d) / 1000:+.2f} ({d / 1000:.2f} → {p / 1000:.2f})" if d is not None and p is not None else "—"
            for d, p in zip(direct, proxy)]


directory, clients = sys.argv[1], sys.argv[2:]
print("| client | Converse, calls 1–100 | 101–1,000 | 1,001–3,000 | stream's first event, calls 1–100 | 101–1,000 | 1,001–3,000 |")
print("|---|---|---|---|---|---|---|")
for client in clients:
    direct, proxy = f"{directory}/{client}-direct", f"{directory}/{client}-proxy"
    row = cells(medians(direct, "converse", 2), medians(proxy, "converse", 2)) + \
        cells(medians(direct, "stream", 3), medians(proxy, "stream", 3))
    print(f"| {client} | " + " | ".join(row) + " |")
print("\nms, medians: added (direct → through the proxy). Targets: ≤ +1 ms over calls 1–100, ≤ +0.3 ms over 101–1,000,"
      " ≤ +0.15 ms after; ≤ +1 ms to a stream's first event.")
