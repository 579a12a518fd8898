# Summarises the pairs of bench/metering-overhead.sh (or, with -v unit=proxies, the proxies of
# metering-crossover.sh): their median with a distribution-free 95 % interval, and their mean with a
# Student-t 95 % interval. Reads the script's per-pair lines ("... on/off +4.2% ...")
# or bare percentages (then -v what= says what they are), so saved runs can be pooled:
#   awk -v op=converse -v rate=500 -f bench/overhead-summary.awk run1.log run2.log
# The median's interval comes from the sign test (order statistics k and n+1-k, k the largest with
# P(Binomial(n, 1/2) < k) <= 2.5 %): it needs no assumption about the pairs' spread, whose tails come from
# JVMs that happened to compile the proxy well or badly, and which a mean's interval takes at face value.
{
  for (i = 1; i <= NF; i++) if ($i == "on/off") { sub(/%$/, "", $(i + 1)); v[++n] = $(i + 1) + 0; next }
  if ($1 ~ /^[-+]?[0-9.]+$/) v[++n] = $1 + 0
}
END {
  if (n == 0) { print "no pairs"; exit 1 }
  for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
  median = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  for (i = 1; i <= n; i++) s += v[i]
  mean = s / n; for (i = 1; i <= n; i++) ss += (v[i] - mean) ^ 2
  # Student t, 97.5 %, by degrees of freedom (1..20; 2.05 beyond, close enough up to ~60 pairs)
  split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23 2.20 2.18 2.16 2.14 2.13 2.12 2.11 2.10 2.09 2.09", t, " ")
  half = n > 1 ? (n - 1 <= 20 ? t[n - 1] : 2.05) * sqrt(ss / (n - 1) / n) : 0
  # sign test: cdf = P(X <= k - 1) for X ~ Binomial(n, 1/2), grown while it stays within 2.5 %
  k = 0; p = 0.5 ^ n; cdf = 0
  while (cdf + p <= 0.025) { cdf += p; k++; p = p * (n - k + 1) / k }
  if (k >= 1) interval = sprintf("95%% interval %+.1f%% to %+.1f%%", v[k], v[n + 1 - k])
  else interval = "too few pairs for a 95% interval"
  if (unit == "") unit = "pairs"
  if (what == "") what = "metering adds"  # -v what="after/before:" names another figure
  printf "OP=%s RATE=%s %s=%d: %s a median %+.1f%% CPU per request (%s; %s from %+.1f%% to %+.1f%%); mean %+.1f%% (95%% interval %+.1f%% to %+.1f%%)\n",
         op, rate, unit, n, what, median, interval, unit, v[1], v[n], mean, mean - half, mean + half
}
