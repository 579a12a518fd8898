# After bench/window-lines.awk, summarises the window lines of bench/metering-crossover.sh (from its stderr)
# and prints one line per proxy: its CPU per request with metering on
# over its CPU per request with it off. Requests are the bytes received over a request's size, which is the
# on windows' bytes over the requests metering counted in them (the load sends the same request every time).
#
# Two figures per proxy. "raw" compares the proxy's on windows with its off windows as measured. The machine
# moves every proxy's CPU per request together, window by window (by ±10 %: the other JVMs' collections and
# compilations, the load generators), so each proxy's figure also carries how its on windows happened to fall.
# "window-adjusted" first divides each of a window's figures by the window's geometric mean over all
# proxies, then compares: half of the proxies are on in every window, so the window means all carry the
# same share of metering and the adjustment takes out the machine's moves without taking out metering.
# The mean of either figure over a round's proxies is the same; the adjusted ones scatter less.
# Pipe the output to overhead-summary.awk (-v unit=proxies) for the median and mean with their intervals.
END {
  for (r = 1; r <= nr; r++) {
    key = rounds[r]
    size = onBytes[key] / counted[key]
    printf "round %s: a request is %.2f bytes (on windows: %d bytes, %d requests metered); off windows metered %.1f requests each (those in flight at the toggle)\n",
           key, size, onBytes[key], counted[key], meteredOff[key] / offWindows[key]
    perRequest(key, size)
    for (cell in x) {  # each window's mean of log CPU per request over the proxies
      split(cell, k, SUBSEP)
      if (k[1] == key) { windowSum[key, k[2]] += x[cell]; windowCount[key, k[2]]++ }
    }
    for (i = 1; i <= np; i++) {
      p = ps[i]; delete s; delete c; delete raw; delete req; delete jitted
      for (j = 1; j <= nw; j++) {
        w = ws[j]; cell = key SUBSEP w SUBSEP p
        if (!(cell in x)) continue
        st = state[cell]
        s[st] += x[cell] - windowSum[key, w] / windowCount[key, w]; c[st]++
        raw[st] += cpu[cell]; req[st] += bytes[cell] / size; jitted[st] += jit[cell]
      }
      if (c["on"] == 0 || c["off"] == 0) continue
      off = raw["off"] / 1e6 / req["off"]; on = raw["on"] / 1e6 / req["on"]
      printf "round %s proxy %s  off: %d req %.4f ms/req (JIT %.4f)   on: %d req %.4f ms/req (JIT %.4f)   on/off %+.1f%% (window-adjusted; raw %+.1f%%)\n",
             key, p, req["off"], off, jitted["off"] / 1e6 / req["off"], req["on"], on, jitted["on"] / 1e6 / req["on"],
             (exp(s["on"] / c["on"] - s["off"] / c["off"]) - 1) * 100, (on / off - 1) * 100
    }
  }
}
