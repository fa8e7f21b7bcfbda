# Sourced by the benchmarks: build once, write the test classpath of a module, set the allocator.
# Usage: bench_classpath MODULE  -> prints MODULE's test-classes:classes:dependencies
set -euo pipefail
bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$bench_root"
source scripts/env.sh
bench_classpath() {
  mvn -q -B -o install -DskipTests >/dev/null 2>&1 || mvn -q -B install -DskipTests >/dev/null
  mvn -q -B -o -pl "$1" test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
    -Dmdep.includeScope=test >/dev/null
  echo "$1/target/test-classes:$1/target/classes:$(cat "$1/target/bench.classpath")"
}
