# Reads the window lines of bench/metering-crossover.sh ("window ROUND WINDOW PROXY on|off CPU_NS REQUEST_BYTES
# JIT_NS METERED [PHASE GC_NS LEDGER_NS]") for the summaries that follow it on the command line
# (awk -f bench/window-lines.awk -f bench/crossover-summary.awk ...). Saved runs can be pooled: each file's
# rounds are kept apart. Per round (rounds[1..nr], keyed by file and round): its proxies and windows (space-
# separated), the bytes and requests of its on windows, and what the off windows metered; per cell (round,
# window, proxy): state, cpu, bytes, jit, phase, gc, ledger; switched[round, proxy] for a proxy ever on.
$1 == "window" {
  key = (FILENAME == "" || FILENAME == "-") ? $2 : FILENAME ":" $2
  if (!(key in seen)) { seen[key] = 1; rounds[++nr] = key }
  cell = key SUBSEP $3 SUBSEP $4
  state[cell] = $5; cpu[cell] = $6; bytes[cell] = $7; jit[cell] = $8; phase[cell] = $10; gc[cell] = $11; ledger[cell] = $12
  if ($5 == "on") { onBytes[key] += $7; counted[key] += $9; switched[key, $4] = 1 } else { meteredOff[key] += $9; offWindows[key]++ }
  if (!((key, $4) in proxySeen)) { proxySeen[key, $4] = 1; proxies[key] = proxies[key] " " $4 }
  if (!((key, $3) in windowSeen)) { windowSeen[key, $3] = 1; windows[key] = windows[key] " " $3 }
}

# Fills x[cell] with the log of each cell's CPU per request in round key, requests being its bytes over size;
# leaves the round's proxies in ps[1..np] and its windows in ws[1..nw].
function perRequest(key, size,    i, j, cell) {
  np = split(proxies[key], ps, " "); nw = split(windows[key], ws, " ")
  for (j = 1; j <= nw; j++) {
    for (i = 1; i <= np; i++) {
      cell = key SUBSEP ws[j] SUBSEP ps[i]
      if (cell in cpu) x[cell] = log(cpu[cell] / (bytes[cell] / size))
    }
  }
}
