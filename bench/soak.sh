#!/usr/bin/env bash
# Soak: SOAK_MINUTES at RATE calls a second through the real AWS SDK for Java v2 (SoakLoad), mixing Converse,
# ConverseStream, InvokeModel, InvokeModelWithResponseStream, Bedrock's error answers (429, 500), exception events
# mid-stream, Bedrock resetting the connection mid-stream and applications hanging up mid-stream, against a proxy
# in front of the built-in simulator (its own JVM, not measured). Every SAMPLE s it samples the proxy's resident
# memory, open file descriptors (/proc/<pid>/fd), threads and TCP connections (ss: from applications, to Bedrock).
#
# Checked at the end (exit 1 when one fails):
#   - every call started got an answer with a request id (none lost, none refused by the proxy itself);
#   - resident memory flat after warm-up: its least-squares slope over the samples after the first fifth of the
#     run under RSS_SLOPE_MIB MiB a minute, and its last sample within RSS_SLACK_MIB of the warm-up's;
#   - no leak: 5 s after the load stops, file descriptors back within FD_SLACK of before the load (plus the pool's
#     kept-alive connections to Bedrock), no connection from an application left, those to Bedrock within the pool;
#   - the ledger (after a graceful stop) holds exactly one line per request id the client saw, with the outcome,
#     partial flag and status the client saw — aborted calls partial — and no other line (SoakAudit).
#
# FULL_DISK=1: the ledger's disk is full from the start until two thirds into the load: the proxy runs under a file
# size limit (`ulimit -S -f LEDGER_FILE_KIB`: a plain process, no mount, no root; a write past it fails with EFBIG
# as on a full disk it fails with ENOSPC), lifted with `prlimit` (the disk freed). Then the audit also counts the
# lines the proxy logged instead of writing them, and the metering check allows the drops.
#
#   bash bench/soak.sh                               # 10 minutes at 60 calls/s (~12 min)
#   SOAK_MINUTES=1 bash bench/soak.sh                # to check that it runs (~2 min)
#   FULL_DISK=1 SOAK_MINUTES=1 bash bench/soak.sh    # the ledger's disk full for the first 40 s
set -euo pipefail
cd "$(dirname "$0")/.."

SOAK_MINUTES=${SOAK_MINUTES:-10}
RATE=${RATE:-60}                          # calls a second
SAMPLE=${SAMPLE:-10}                      # seconds between samples
RSS_SLOPE_MIB=${RSS_SLOPE_MIB:-1}         # MiB a minute
RSS_SLACK_MIB=${RSS_SLACK_MIB:-24}
FD_SLACK=${FD_SLACK:-4}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
FULL_DISK=${FULL_DISK:-0}
LEDGER_FILE_KIB=${LEDGER_FILE_KIB:-96}    # FULL_DISK=1: how far each ledger file may grow (above the 64 KiB journal)
KINDS=${KINDS:-}                          # e.g. CONVERSE,CLIENT_ABORTS_MID_STREAM: only those (SoakLoad.Kind), in turn

. bench/micro-build.sh                    # CP: the proxy's classes and dependencies
OUT=${SOAK_OUT:-target/soak}              # samples, calls, logs and ledger of the last run
[ -d target/test-classes/dev/bedrocktenant/testing ] || mvn -B -q -Dstyle.color=never test-compile
rm -rf "$OUT" && mkdir -p "$OUT/classes"
CP="$OUT/classes:target/test-classes:$CP"  # the load reuses the tests' SDK clients and ledger reader
javac -d "$OUT/classes" -cp "$CP" bench/soak/dev/bedrocktenant/bench/*.java

dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT
. bench/beside-simulator.sh
limit=:
[ "$FULL_DISK" = 1 ] && limit="ulimit -S -f $LEDGER_FILE_KIB" && JAVA_OPTS+=" -Dproxy.ledger.journal-size=64K"
start_proxy "$limit" $JAVA_OPTS

sample() { echo "$1 $(proxy_sample)"; }  # seconds since the load began
metric() {  # name regex: the sum of its samples
  curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 ~ "^" m "([{]|$)" {s += $NF} END {printf "%.0f\n", s}'
}

before=$(sample -1)
echo "t_s rss_kib fds threads conns_from_apps conns_to_bedrock" >"$OUT/samples.tsv"
echo "$before" >>"$OUT/samples.tsv"
seconds=$((SOAK_MINUTES * 60))
java -cp "$CP" dev.bedrocktenant.bench.SoakLoad "http://127.0.0.1:$PORT" soak "$RATE" "$seconds" "$OUT/calls.tsv" $KINDS \
  >"$OUT/load.txt" 2>&1 &
load=$!
pids+=($load)
# the clock starts once the client has warmed up (a starved machine can take a minute to start a JVM)
until grep -q '^load started' "$OUT/load.txt"; do kill -0 $load 2>/dev/null || break; sleep 0.5; done
( start=$(date +%s); while sleep "$SAMPLE"; do sample $(( $(date +%s) - start )) >>"$OUT/samples.tsv"; done ) &
sampler=$!
pids+=($sampler)
if [ "$FULL_DISK" = 1 ]; then
  (sleep $((seconds * 2 / 3)); prlimit --pid $proxy --fsize=unlimited:unlimited; echo "disk freed at $((seconds * 2 / 3)) s") &
  pids+=($!)
fi
wait $load && load_ok=0 || load_ok=1
grep -v '^Consider\|^Increasing\|^If the' "$OUT/load.txt" | cut -c1-300  # (the SDK's advice on pool timeouts, once)
sleep 5
kill $sampler
after=$(sample end)
echo "$after" >>"$OUT/samples.tsv"
counted=$(metric bedrock_tenant_requests_total)
dropped=$(metric bedrock_tenant_ledger_dropped_lines_total)
late=$(metric bedrock_tenant_ledger_late_lines_total)
kill -TERM $proxy && wait $proxy || true  # a graceful stop writes what the journal holds
cp -r "$dir/ledger" "$OUT/ledger"

failed=0
check() {  # verdict, what
  echo "$1  $2"
  [ "$1" = ok ] || failed=1
}
[ "$load_ok" = 0 ] && check ok "every call answered with a request id" || check FAIL "calls lost or not started (above)"
read -r rss_warm rss_last rss_max slope < <(awk -v warm=$((seconds / 5)) '
  NR > 1 && $1 ~ /^[0-9]+$/ && $1 >= warm { n++; x = $1 / 60; y = $2 / 1024; sx += x; sy += y; sxx += x * x; sxy += x * y
                                            if (n == 1) first = y; last = y; if (y > max) max = y }
  END { printf "%.1f %.1f %.1f %.2f\n", first, last, max, (n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0) }' "$OUT/samples.tsv")
read -r _ rss0 fd0 threads0 _ _ <<<"$before"
read -r _ rss1 fd1 threads1 apps1 bedrock1 <<<"$after"
echo "RSS MiB: before the load $((rss0 / 1024)), after warm-up $rss_warm, highest $rss_max, last $rss_last; slope $slope MiB/min"
awk -v s="$slope" -v l="$rss_last" -v w="$rss_warm" -v ms="$RSS_SLOPE_MIB" -v sl="$RSS_SLACK_MIB" \
    'BEGIN { exit !(s < ms && l - w <= sl) }' && check ok "resident memory flat after warm-up" || check FAIL "resident memory grows"
echo "file descriptors: before $fd0, after $fd1 ($bedrock1 of them kept-alive connections to Bedrock); threads: before $threads0, after $threads1"
[ "$fd1" -le $((fd0 + FD_SLACK + bedrock1)) ] && check ok "no file descriptor leaked" || check FAIL "file descriptors leaked"
echo "connections 5 s after the load: from applications $apps1, to Bedrock $bedrock1 (pool: proxy.upstream.max-connections)"
[ "$apps1" = 0 ] && [ "$bedrock1" -le 200 ] && check ok "no connection leaked" || check FAIL "connections leaked"
seen=$(wc -l <"$OUT/calls.tsv")
echo "metering counted $counted requests, the client saw $seen; ledger lines dropped $dropped, late $late"
kept=$(grep -c 'ledger line not written, kept here' "$OUT/proxy.log" || true)
echo "lines the disk refused, logged instead: $kept"
[ "$counted" = "$seen" ] && { [ "$dropped" = 0 ] || [ "$FULL_DISK" = 1 ] && [ "$dropped" = "$kept" ]; } \
  && check ok "metering counted every call once; every line dropped is in the log" || check FAIL "metering counts differ"
java -cp "$CP" dev.bedrocktenant.bench.SoakAudit "$OUT/calls.tsv" "$OUT/ledger" "$OUT/proxy.log" \
  && check ok "ledger (and the lines logged instead) equals what the clients saw" \
  || check FAIL "ledger differs from what the clients saw"
errors=$(grep -c ' ERROR ' "$OUT/proxy.log" || true)
echo "proxy log: $errors ERROR lines ($OUT/proxy.log)"
exit $failed
