"""Summarises bench/sdk-cold.sh's runs: per client, the median added latency (through the proxy minus direct to the
simulator) of Converse over calls 1-100, 101-1,000 and 1,001-3,000, and of a ConverseStream's first event; then the
tail: the p50 and p99 of Converse over the calls after the first 100, through the proxy minus direct. With several
rounds, each cell is the median of the rounds' added figures, with the lowest and highest in brackets: a change
smaller than that spread is not a change this bench can show.

    python3 bench/sdk/cold-summary.py DIR ROUNDS CLIENT...   # DIR holds CLIENT-direct-R and CLIENT-proxy-R, R = 1..ROUNDS
"""
import statistics
import sys

WINDOWS = [(1, 100), (101, 1000), (1001, 3000)]


def calls(path):
    return [line.split() for line in open(path) if line.strip()]


def window_medians(lines, op, column):
    out = []
    for low, high in WINDOWS:
        values = [int(c[column]) for c in lines if c[1] == op and low <= int(c[0]) <= high]
        out.append(statistics.median(values) if values else None)
    return out


def tail(lines, fraction, first=101):
    values = sorted(int(c[2]) for c in lines if c[1] == "converse" and int(c[0]) >= first)
    return values[min(len(values) - 1, int(len(values) * fraction))] if values else None


def cell(pairs):
    """pairs: one (direct, proxy) per round, microseconds."""
    pairs = [(d, p) for d, p in pairs if d is not None and p is not None]
    if not pairs:
        return "—"
    added = [(p - d) / 1000 for d, p in pairs]
    if len(pairs) == 1:
        d, p = pairs[0]
        return f"{added[0]:+.2f} ({d / 1000:.2f} → {p / 1000:.2f})"
    return f"{statistics.median(added):+.2f} [{min(added):+.2f} … {max(added):+.2f}]"


def rows(directory, rounds, clients, figures):
    """figures(lines) -> list of values; one row per client, one cell per value."""
    for client in clients:
        per_round = [(figures(calls(f"{directory}/{client}-direct-{r}")), figures(calls(f"{directory}/{client}-proxy-{r}")))
                     for r in range(1, rounds + 1)]
        width = len(per_round[0][0])
        print(f"| {client} | " + " | ".join(cell([(d[i], p[i]) for d, p in per_round]) for i in range(width)) + " |")


directory, rounds, clients = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rounds_note = "" if rounds == 1 else f", the median of {rounds} rounds [lowest … highest]"
print("| client | Converse, calls 1–100 | 101–1,000 | 1,001–3,000 | stream's first event, calls 1–100 | 101–1,000 | 1,001–3,000 |")
print("|---|---|---|---|---|---|---|")
rows(directory, rounds, clients, lambda lines: window_medians(lines, "converse", 2) + window_medians(lines, "stream", 3))
print(f"\nms, medians: added (direct → through the proxy){rounds_note}. Targets: ≤ +1 ms over calls 1–100, ≤ +0.3 ms over 101–1,000, ≤ +0.15 ms after; ≤ +1 ms to a"
      " stream's first event.")
print("\n| client | Converse after call 100, p50 | p99 |")
print("|---|---|---|")
rows(directory, rounds, clients, lambda lines: [tail(lines, 0.5), tail(lines, 0.99)])
print(f"\nms: added (direct → through the proxy){rounds_note}, over every Converse from call 101 on.")
