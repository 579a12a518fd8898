# Where the on windows' extra CPU goes (bench/metering-crossover.sh with PROFILE=1). Reads first the window
# lines of one round ("window ROUND WINDOW PROXY on|off CPU_NS REQUEST_BYTES JIT_NS METERED"), then the collapsed stacks the agent
# wrote per window (profile-PROXY/STATE-WINDOW.collapsed: frames joined by ';', then the sample count; thread
# names hold spaces). Prints samples per 1000 requests by part, with metering on and off in the same JVMs,
# and the frames outside metering's own code that gained the most. -v proxy=N: one proxy's windows only.
$1 == "window" {  # requests: bytes received over a request's size (bench/crossover-summary.awk)
  if ($5 == "on") { onBytes += $7; counted += $9 }
  if (proxy == "" || $4 == proxy) received[$5] += $7
  next
}
FNR == 1 {
  if (proxy != "" && FILENAME !~ ("profile-" proxy "/")) { measured = 0; next }
  name = FILENAME; sub(/.*\//, "", name); sub(/\.collapsed$/, "", name)
  split(name, parts, "-"); state = parts[1]
  measured = (state == "on" || state == "off") && parts[2] ~ /^[0-9]+$/  # (warm-up windows are numbered below 0)
}
measured {
  n = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
  if (stack ~ /^\[(C1|C2) CompilerThre/) part = "JIT compiler threads (not counted)"
  else if (stack ~ /^\[metering-toggle/) next
  else if (stack ~ /^\[usage-ledger/) part = "ledger threads"
  else if (stack ~ /^\[(GC Thread|G1 |VM Thread)/) part = "garbage collector"
  else if (stack ~ /^\[vert\.x-eventloop/) {
    if (stack ~ /MeteredExchange|metering\/Metering\./) part = "event loops: metering's code"
    else {
      leaf = stack; sub(/.*;/, "", leaf)
      part = leaf ~ /_\[k\]$/ ? "event loops: the rest, in the kernel" : "event loops: the rest, in Java"
      frame[state, leaf] += n; frames[leaf] = 1
    }
  } else part = "other threads"
  samples[state, part] += n; parts_[part] = 1
  if (part !~ /^JIT/) total[state] += n
}
END {
  if (counted == 0 || received["off"] == 0) { print "no measured windows"; exit 1 }
  requests["on"] = received["on"] * counted / onBytes; requests["off"] = received["off"] * counted / onBytes
  off = 1000 / requests["off"]; on = 1000 / requests["on"]
  printf "samples (every 499 µs of CPU) per 1000 requests, measured windows; change as %% of the off windows' total\n"
  printf "  %8s %8s %7s  %s\n", "off", "on", "change", "part"
  for (p in parts_)
    printf "  %8.2f %8.2f %6.2f%%  %s\n", samples["off", p] * off, samples["on", p] * on,
           100 * (samples["on", p] * on - samples["off", p] * off) / (total["off"] * off), p | "sort -k3 -rn"
  close("sort -k3 -rn")
  printf "  %8.2f %8.2f %+6.2f%%  all but the JIT\n", total["off"] * off, total["on"] * on,
         100 * (total["on"] * on / (total["off"] * off) - 1)
  print "event-loop leaf frames outside metering's code, largest gains with metering on:"
  for (f in frames)
    printf "  %+8.2f  %s\n", frame["on", f] * on - frame["off", f] * off, f | "sort -rn | head -20"
}
