#!/usr/bin/env bash
# Isolated costs of metering's two largest parts, without the proxy around them: reading a Converse
# response's usage (ConverseScanBench) and encoding a ledger line (LedgerLineBench). Each runs in FORKS
# fresh JVMs (each compiles it a little differently); a JVM's figure is the mean of its last 6 rounds, and
# the script prints the lowest, median and highest over the JVMs. A plain loop rather than JMH: no build of
# its own, and the fork-to-fork spread it prints is the figure that matters here.
#
#   bash bench/metering-micro.sh          # needs: mvn package done (~2 min)
set -euo pipefail
cd "$(dirname "$0")/.."
FORKS=${FORKS:-5}
. bench/micro-build.sh
for bench in dev.bedrocktenant.usage.ConverseScanBench dev.bedrocktenant.metering.ledger.LedgerLineBench; do
  for fork in $(seq "$FORKS"); do
    java -Xmx256m -cp "$OUT:$CP" "$bench" | awk '/^round/ { if (++r > 6) { s += $3; n++ } } END { printf "%.0f\n", s / n }'
  done | sort -n | awk -v name="${bench##*.}" '{ v[NR] = $1 }
    END { printf "%-18s ns per op over %d JVMs: lowest %d, median %d, highest %d\n", name, NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
done
