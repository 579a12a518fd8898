# Reads the window lines of `SCHEDULE=before-after bash bench/metering-crossover.sh` ("window ROUND WINDOW
# PROXY on|off CPU_NS REQUEST_BYTES JIT_NS METERED PHASE GC_NS LEDGER_NS", PHASE a, b or c; saved runs can be pooled, each
# file's rounds kept apart) and prints one line per switched proxy: its CPU per request in phase a (metering
# never yet on: the JIT has compiled the proxy without it, as in the A/B's proxy without metering), b (metering
# on, after SETTLE seconds of it: recompiled with it, as in the A/B's metering proxy) and c (off again).
#
# The control proxies never meter. Each window's figures are first divided by the controls' geometric mean in
# that window, which takes out how the machine moved every proxy between the phases (minutes apart); then
#   on/off        b over a: what switching metering on costs this JVM, JIT effects included — the A/B's question
#                 without the A/B's JVM-to-JVM spread;
#   after/before  c over a: what having compiled metering in leaves behind when it no longer runs;
#   on/after      b over c: the crossover's figure (running metering in a JVM compiled with it).
# Requests are the bytes received over a request's size: the switched proxies' phase-b bytes over the requests
# metering counted there (bench/crossover-summary.awk). Pipe to overhead-summary.awk (-v unit=proxies) for the
# median and mean of on/off.
$1 == "window" && NF >= 10 {
  key = (FILENAME == "" || FILENAME == "-") ? $2 : FILENAME ":" $2
  if (!(key in seen)) { seen[key] = 1; rounds[++nr] = key }
  cell = key SUBSEP $3 SUBSEP $4
  cpu[cell] = $6; bytes[cell] = $7; phase[cell] = $10; gc[cell] = $11; ledger[cell] = $12
  if ($5 == "on") { onBytes[key] += $7; counted[key] += $9; switched[key, $4] = 1 } else { meteredOff[key] += $9 }
  if (!((key, $4) in proxySeen)) { proxySeen[key, $4] = 1; proxies[key] = proxies[key] " " $4 }
  if (!((key, $3) in windowSeen)) { windowSeen[key, $3] = 1; windows[key] = windows[key] " " $3 }
}
END {
  for (r = 1; r <= nr; r++) {
    key = rounds[r]
    size = onBytes[key] / counted[key]
    printf "round %s: a request is %.2f bytes (metering on: %d bytes, %d requests metered); the windows with metering off metered %d requests in all (those in flight at the switch)\n",
           key, size, onBytes[key], counted[key], meteredOff[key]
    np = split(proxies[key], ps, " "); nw = split(windows[key], ws, " ")
    for (j = 1; j <= nw; j++) {  # each window's mean of log CPU per request over the controls
      w = ws[j]
      for (i = 1; i <= np; i++) {
        cell = key SUBSEP w SUBSEP ps[i]
        if (!(cell in cpu)) continue
        x[cell] = log(cpu[cell] / (bytes[cell] / size))
        if (!((key, ps[i]) in switched)) { controlSum[key, w] += x[cell]; controlCount[key, w]++ }
      }
    }
    for (i = 1; i <= np; i++) {
      p = ps[i]
      if (!((key, p) in switched)) continue
      delete s; delete c; delete raw; delete req; delete collected; delete written
      for (j = 1; j <= nw; j++) {
        w = ws[j]; cell = key SUBSEP w SUBSEP p
        if (!(cell in x) || controlCount[key, w] == 0) continue
        ph = phase[cell]
        s[ph] += x[cell] - controlSum[key, w] / controlCount[key, w]; c[ph]++
        raw[ph] += cpu[cell]; req[ph] += bytes[cell] / size; collected[ph] += gc[cell]; written[ph] += ledger[cell]
      }
      if (c["a"] == 0 || c["b"] == 0 || c["c"] == 0) continue
      for (ph in s) {
        level[ph] = s[ph] / c[ph]; ms[ph] = raw[ph] / 1e6 / req[ph]
        gcMs[ph] = collected[ph] / 1e6 / req[ph]; ledgerMs[ph] = written[ph] / 1e6 / req[ph]
      }
      printf "round %s proxy %s  before: %.4f ms/req   on: %.4f ms/req   after: %.4f ms/req   on/off %+.1f%%   after/before %+.1f%%   on/after %+.1f%%   (against the controls; raw on/off %+.1f%%)\n",
             key, p, ms["a"], ms["b"], ms["c"], (exp(level["b"] - level["a"]) - 1) * 100,
             (exp(level["c"] - level["a"]) - 1) * 100, (exp(level["b"] - level["c"]) - 1) * 100, (ms["b"] / ms["a"] - 1) * 100
      printf "round %s proxy %s  of it garbage collector %.4f / %.4f / %.4f ms/req, usage-ledger threads %.4f / %.4f / %.4f\n",
             key, p, gcMs["a"], gcMs["b"], gcMs["c"], ledgerMs["a"], ledgerMs["b"], ledgerMs["c"]
    }
  }
}
