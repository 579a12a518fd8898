#!/usr/bin/env python3
"""Draws the Grafana dashboard's cost panel from real Prometheus data.

PrometheusDashboardIT saves the panel's query_range result, taken from a real Prometheus that scraped the
packaged proxy during its SDK traffic, to target/prometheus-cost.json. This draws it as the panel shows it
(one line per tenant, USD) with the usage ledger's totals beside it, so a reader sees what the dashboard gives.

    flock /tmp/btp-test.lock mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \\
        -Dit.test=PrometheusDashboardIT
    python3 docs/figures/render-cost-panel.py [target/prometheus-cost.json] [docs/figures/cost-panel.png]

Needs matplotlib (pip install matplotlib, or Debian's python3-matplotlib).
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display
import matplotlib.pyplot as plt  # noqa: E402

source = Path(sys.argv[1] if len(sys.argv) > 1 else "target/prometheus-cost.json")
target = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/figures/cost-panel.png")
panel = json.loads(source.read_text())
start = panel["start"]

# Grafana's dark theme, roughly: the panel as an operator sees it
plt.rcParams.update({"font.size": 9, "axes.edgecolor": "#8e8e8e", "axes.labelcolor": "#ccccdc",
                     "xtick.color": "#ccccdc", "ytick.color": "#ccccdc", "text.color": "#ccccdc"})
fig, ax = plt.subplots(figsize=(9, 3.6), dpi=120)
fig.patch.set_facecolor("#181b1f")
ax.set_facecolor("#181b1f")
ax.grid(color="#2c3235", linewidth=0.8)
colours = {"acme": "#73bf69", "globex": "#f2cc0c"}

for series in sorted(panel["result"], key=lambda s: s["metric"].get("tenant", "")):
    tenant = series["metric"].get("tenant", "?")
    seconds = [t - start for t, _ in series["values"]]
    usd = [float(v) for _, v in series["values"]]
    ledger = panel["ledgerCostUsd"][tenant]
    ax.step(seconds, usd, where="post", linewidth=1.8, color=colours.get(tenant),
            label=f"{tenant}: {usd[-1]:.4f} USD (ledger {ledger})")

budget = float(panel["acmeDailyBudgetUsd"])
ax.axhline(budget, color="#f2495c", linestyle="--", linewidth=1)
ax.text(1, budget, f" acme daily budget {budget:g} USD: red", color="#f2495c", va="bottom", fontsize=8)

ax.set_title(f"{panel['panel']}  ·  real Prometheus scraping the packaged proxy every second under SDK traffic",
             loc="left", color="#ccccdc", fontsize=10)
ax.set_xlabel("seconds since the proxy started")
ax.set_ylabel("USD")
ax.set_xlim(0, panel["end"] - start)
ax.set_ylim(bottom=0)
legend = ax.legend(loc="upper left", frameon=False)
for text in legend.get_texts():
    text.set_color("#ccccdc")
fig.text(0.01, 0.01, panel["query"], fontsize=7, color="#8e8e8e", family="monospace")
fig.tight_layout(rect=(0, 0.04, 1, 1))
target.parent.mkdir(parents=True, exist_ok=True)
fig.savefig(target, facecolor=fig.get_facecolor())
print(f"{target}: {len(panel['result'])} tenants from {source}")
