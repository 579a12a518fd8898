#!/usr/bin/env bash
# Isolated costs of metering's parts, without the proxy around them: reading a Converse response's usage
# (ConverseScanBench), encoding a ledger line (LedgerLineBench) and its timestamp (TimestampBench) and recording a
# request's Prometheus series (PrometheusRecordBench); and, on the request's way in, stamping the tenant's request
# metadata into a Converse body (ConverseStampBench). Where a part is written by hand, the library doing the same
# job runs beside it (bench/README.md, "Hand-written parts and what they buy", "Request metadata").
# Each line below runs in FORKS fresh JVMs (each compiles it a little differently); a JVM's figure is the mean of
# its last 6 rounds, and the script prints the lowest, median and highest over the JVMs. A plain loop rather than
# JMH: no build of its own, and the fork-to-fork spread it prints is the figure that matters here. Run it twice to
# see its run-to-run noise.
#
#   bash bench/metering-micro.sh                  # needs: mvn package done (~10 min)
#   ONLY=Prometheus bash bench/metering-micro.sh  # the lines that match an extended regular expression
set -euo pipefail
cd "$(dirname "$0")/.."
FORKS=${FORKS:-5}
ONLY=${ONLY:-.}
BENCHES=(
  "usage.ConverseScanBench"
  "metering.ledger.LedgerLineBench hand"
  "metering.ledger.LedgerLineBench hand-nomemo"
  "metering.ledger.LedgerLineBench jackson"
  "metering.ledger.TimestampBench hand"
  "metering.ledger.TimestampBench formatter"
  "metering.prometheus.PrometheusRecordBench hand 1"
  "metering.prometheus.PrometheusRecordBench micrometer 1"
  "metering.prometheus.PrometheusRecordBench hand 2"
  "metering.prometheus.PrometheusRecordBench micrometer 2"
  "attribution.ConverseStampBench splice small"
  "attribution.ConverseStampBench tree small"
  "attribution.ConverseStampBench splice 4k"
  "attribution.ConverseStampBench tree 4k"
)
. bench/micro-build.sh
for bench in "${BENCHES[@]}"; do
  [[ $bench =~ $ONLY ]] || continue
  read -r class args <<< "$bench"
  if ! javac -d "$OUT" -cp "$CP" -sourcepath bench/micro "bench/micro/dev/bedrocktenant/${class//.//}.java"; then
    echo "${class##*.} does not compile: skipped" >&2 # (one bench behind the code leaves the others measurable)
    continue
  fi
  for fork in $(seq "$FORKS"); do
    # shellcheck disable=SC2086 # the variant and thread count are separate arguments
    java -Xmx256m -cp "$OUT:$CP" "dev.bedrocktenant.$class" $args |
      awk '/^round/ { if (++r > 6) { s += $3; n++ } } END { printf "%.1f\n", s / n }'
  done | sort -n | awk -v name="${class##*.} $args" '{ v[NR] = $1 }
    END { printf "%-36s ns per op over %d JVMs: lowest %.1f, median %.1f, highest %.1f\n", name, NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
done
