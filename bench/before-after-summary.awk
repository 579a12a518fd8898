# After bench/window-lines.awk, summarises the window lines of `SCHEDULE=before-after bash
# bench/metering-crossover.sh` (PHASE a, b or c) and prints one line per switched proxy: its CPU per request
# in phase a (metering never yet on: the JIT has compiled the proxy without it, as in the A/B's proxy without
# metering), b (metering on, after SETTLE seconds of it: recompiled with it, as in the A/B's metering proxy)
# and c (off again).
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
END {
  for (r = 1; r <= nr; r++) {
    key = rounds[r]
    size = onBytes[key] / counted[key]
    printf "round %s: a request is %.2f bytes (metering on: %d bytes, %d requests metered); the windows with metering off metered %d requests in all (those in flight at the switch)\n",
           key, size, onBytes[key], counted[key], meteredOff[key]
    perRequest(key, size)
    for (cell in x) {  # each window's mean of log CPU per request over the controls
      split(cell, k, SUBSEP)
      if (k[1] == key && !((key, k[3]) in switched)) { controlSum[key, k[2]] += x[cell]; controlCount[key, k[2]]++ }
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
