# Summarises bench/metering-crossover.sh from its window lines, on its stderr (saved runs can be pooled, each
# file's rounds kept apart: awk -f bench/crossover.awk run1.err run2.err):
#   window ROUND WINDOW PROXY on|off CPU_NS REQUEST_BYTES JIT_NS METERED PHASE GC_NS LEDGER_NS
# Requests are bytes received over a request's size: the on windows' bytes over the requests metering counted
# in them. Each window's log CPU per request is first taken relative to the controls' mean in that window,
# which takes out how the machine moved every proxy between the phases, minutes apart. Then per switched proxy:
#   on/off        b over a: what switching metering on costs the JVM, whatever it makes the JIT do;
#   after/before  c over a: what having compiled metering in leaves behind once it stops;
#   on/after      b over c: metering in the same JVM with the same compiled code.
# and over all of them each figure's median, with a distribution-free 95 % interval (the sign test: order
# statistics, no assumption about the spread), and mean, with a Student-t one.
#
# Given also the collapsed stacks of PROFILE=1 (profile-PROXY/STATE-WINDOW.collapsed: frames joined by ';',
# then the sample count), it prints instead where the last round's switched proxies spent their CPU in phase b
# against phase c: same JVMs, same compiled code; samples per 1000 requests, not adjusted by the controls.

BEGIN { for (i = 1; i < ARGC; i++) if (ARGV[i] !~ /\.collapsed$/) files++ }

$1 == "window" {
  key = files > 1 ? FILENAME ":" $2 : $2
  if (!(key in seen)) { seen[key] = 1; rounds[++nr] = key }
  cell = key SUBSEP $3 SUBSEP $4
  cpu[cell] = $6; bytes[cell] = $7; phase[cell] = $10; gc[cell] = $11; ledger[cell] = $12
  if ($5 == "on") { onBytes[key] += $7; counted[key] += $9; switched[key, $4] = 1 } else meteredOff[key] += $9
  if (!((key, $4) in hasProxy)) { hasProxy[key, $4] = 1; proxies[key] = proxies[key] " " $4 }
  if (!((key, $3) in hasWindow)) { hasWindow[key, $3] = 1; windows[key] = windows[key] " " $3 }
  next
}

FILENAME ~ /\.collapsed$/ && FNR == 1 {
  profiled = 1; key = rounds[nr]
  p = FILENAME; sub(/.*profile-/, "", p); sub(/\/.*/, "", p)
  w = FILENAME; sub(/.*-/, "", w); sub(/\.collapsed$/, "", w)
  ph = phase[key, w, p]
  use = ((key, p) in switched) && (ph == "b" || ph == "c")  # (not the controls, the warm-ups or phase a)
  if (use) received[ph] += bytes[key, w, p]
}
FILENAME ~ /\.collapsed$/ && use {
  n = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
  leaf = stack; sub(/.*;/, "", leaf)
  if (stack ~ /^\[metering-toggle/) next
  else if (stack ~ /^\[(C1|C2) CompilerThre/) pt = "JIT compiler threads (not counted)"
  else if (stack ~ /^\[usage-ledger/) pt = "ledger threads"
  else if (stack ~ /^\[(GC Thread|G1 |VM Thread)/) pt = "garbage collector"
  else if (stack !~ /^\[vert\.x-eventloop/) pt = "other threads"
  else if (stack ~ /MeteredExchange|metering\/Metering\./) {
    pt = "event loops: metering's code"
    if (ph == "b") { own[meteringPart(stack)] += n; ownLeaf[leaf] += n }
  } else {
    pt = leaf ~ /_\[k\]$/ ? "event loops: the rest, in the kernel" : "event loops: the rest, in Java"
    frame[ph, leaf] += n; frames[leaf] = 1
  }
  samples[ph, pt] += n; parts[pt] = 1
  if (pt !~ /^JIT/) total[ph] += n
}

function meteringPart(stack,    rest, i, at, best, name, path, named) {  # the first of metering's parts below its entry
  rest = substr(stack, match(stack, /MeteredExchange|metering\/Metering\./))
  split("bedrocktenant/usage/ bedrocktenant/pricing/ metering/prometheus/ metering/ledger/ metering/cloudwatch/", path, " ")
  split("reading the usage|pricing|Prometheus|ledger line and journal|CloudWatch aggregation", named, "|")
  name = "the rest (usage record, futures, ...)"
  for (i = 1; i in path; i++) if ((at = index(rest, path[i])) && (!best || at < best)) { best = at; name = named[i] }
  return name
}

function pct(logRatio) { return (exp(logRatio) - 1) * 100 }

function spread(what, v, n,    i, j, x, median, s, ss, mean, half, t, k, p, cdf, interval) {
  if (n == 0) return
  for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
  median = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  for (i = 1; i <= n; i++) s += v[i]
  mean = s / n; for (i = 1; i <= n; i++) ss += (v[i] - mean) ^ 2
  # Student t, 97.5 %, by degrees of freedom 1..20; 2.05 beyond (close enough up to ~60 proxies)
  split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23 2.20 2.18 2.16 2.14 2.13 2.12 2.11 2.10 2.09 2.09", t, " ")
  half = n > 1 ? (n - 1 <= 20 ? t[n - 1] : 2.05) * sqrt(ss / (n - 1) / n) : 0
  # sign test: order statistics k and n+1-k, k the largest with P(Binomial(n, 1/2) < k) <= 2.5 %
  k = 0; p = 0.5 ^ n; cdf = 0
  while (cdf + p <= 0.025) { cdf += p; k++; p = p * (n - k + 1) / k }
  interval = k >= 1 ? sprintf("95%% interval %+.1f%% to %+.1f%%", v[k], v[n + 1 - k]) : "too few proxies for an interval"
  printf "%-13s %d proxies: median %+.1f%% (%s), mean %+.1f%% (95%% interval %+.1f%% to %+.1f%%); from %+.1f%% to %+.1f%%\n",
         what, n, median, interval, mean, mean - half, mean + half, v[1], v[n]
}

function summary(    r, key, size, np, ps, nw, ws, i, j, p, w, cell, sum, m, control, s, c, ms, req, col, wr, ph, n,
                     onOff, afterBefore, onAfter) {
  for (r = 1; r <= nr; r++) {
    key = rounds[r]
    if (counted[key] == 0) { printf "round %s: no window metered a request\n", key; continue }
    size = onBytes[key] / counted[key]
    printf "round %s: a request is %.2f bytes (on: %d bytes, %d requests metered); windows with metering off metered %d requests in all (in flight at the switch)\n",
           key, size, onBytes[key], counted[key], meteredOff[key]
    np = split(proxies[key], ps, " "); nw = split(windows[key], ws, " ")
    split("", control)
    for (j = 1; j <= nw; j++) {  # each window's mean of log CPU per request over the controls
      sum = m = 0
      for (i = 1; i <= np; i++) {
        cell = key SUBSEP ws[j] SUBSEP ps[i]
        if ((cell in cpu) && bytes[cell] > 0 && !((key, ps[i]) in switched)) { sum += log(cpu[cell] * size / bytes[cell]); m++ }
      }
      if (m) control[ws[j]] = sum / m
    }
    for (i = 1; i <= np; i++) {
      p = ps[i]
      if (!((key, p) in switched)) continue
      split("", s); split("", c); split("", ms); split("", req); split("", col); split("", wr)
      for (j = 1; j <= nw; j++) {
        w = ws[j]; cell = key SUBSEP w SUBSEP p
        if (!(cell in cpu) || bytes[cell] == 0 || !(w in control)) continue
        ph = phase[cell]
        s[ph] += log(cpu[cell] * size / bytes[cell]) - control[w]; c[ph]++
        ms[ph] += cpu[cell] / 1e6; req[ph] += bytes[cell] / size; col[ph] += gc[cell] / 1e6; wr[ph] += ledger[cell] / 1e6
      }
      if (!c["a"] || !c["b"] || !c["c"]) continue
      for (ph in c) { s[ph] /= c[ph]; ms[ph] /= req[ph]; col[ph] /= req[ph]; wr[ph] /= req[ph] }
      n++; onOff[n] = pct(s["b"] - s["a"]); afterBefore[n] = pct(s["c"] - s["a"]); onAfter[n] = pct(s["b"] - s["c"])
      printf "round %s proxy %s  before: %.4f ms/req   on: %.4f   after: %.4f   on/off %+.1f%%   after/before %+.1f%%   on/after %+.1f%%   (raw on/off %+.1f%%)\n",
             key, p, ms["a"], ms["b"], ms["c"], onOff[n], afterBefore[n], onAfter[n], (ms["b"] / ms["a"] - 1) * 100
      printf "round %s proxy %s  of it garbage collector %.4f / %.4f / %.4f ms/req, usage-ledger threads %.4f / %.4f / %.4f\n",
             key, p, col["a"], col["b"], col["c"], wr["a"], wr["b"], wr["c"]
    }
  }
  if (n == 0) { print "no switched proxy with all three phases measured"; exit 1 }
  if (op != "") printf "OP=%s RATE=%s: metering's CPU per request against the controls\n", op, rate
  spread("on/off", onOff, n); spread("after/before", afterBefore, n); spread("on/after", onAfter, n)
}

function profile(    key, size, off, on, p, f) {
  key = rounds[nr]
  if (counted[key] == 0 || received["b"] == 0 || received["c"] == 0) { print "no profiled windows of phases b and c"; exit 1 }
  size = onBytes[key] / counted[key]
  off = 1000 * size / received["c"]; on = 1000 * size / received["b"]  # samples to samples per 1000 requests
  printf "round %s, switched proxies: samples (every 499 us of CPU) per 1000 requests, off (c) and on (b); change as %% of c's total\n", key
  printf "  %8s %8s %7s  %s\n", "off", "on", "change", "part"
  fflush()
  for (p in parts)
    printf "  %8.2f %8.2f %6.2f%%  %s\n", samples["c", p] * off, samples["b", p] * on,
           100 * (samples["b", p] * on - samples["c", p] * off) / (total["c"] * off), p | "sort -k3 -rn"
  close("sort -k3 -rn")
  printf "  %8.2f %8.2f %+6.2f%%  all but the JIT\n", total["c"] * off, total["b"] * on, 100 * (total["b"] * on / (total["c"] * off) - 1)
  print "metering's code on the event loops (b), by part: per 1000 requests, % of c's total"
  fflush()
  for (p in own) printf "  %8.2f  %5.2f%%  %s\n", own[p] * on, 100 * own[p] * on / (total["c"] * off), p | "sort -rn"
  close("sort -rn")
  print "its hottest leaf frames (b), per 1000 requests:"
  fflush()
  for (f in ownLeaf) printf "  %8.2f  %s\n", ownLeaf[f] * on, f | "sort -rn | head -15"
  close("sort -rn | head -15")
  print "event-loop leaf frames outside metering's code, largest gains from c to b, per 1000 requests:"
  fflush()
  for (f in frames) printf "  %+8.2f  %s\n", frame["b", f] * on - frame["c", f] * off, f | "sort -rn | head -15"
  close("sort -rn | head -15")
}

END { if (profiled) profile(); else summary() }
