# Sourced by the micro-benchmark scripts, from the repository's root: builds the proxy when it has not been. Sets
# OUT (where the benchmarks' classes go) and CP (the proxy and its dependencies); each script compiles its own.
OUT=target/bench-micro
[ -d target/classes ] || mvn -B -q package -DskipTests
mkdir -p "$OUT"
[ "$OUT/classpath" -nt pom.xml ] || mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$OUT/classpath" >/dev/null
CP="target/classes:$(cat "$OUT/classpath")"
