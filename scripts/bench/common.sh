# Sourced by the benchmarks: build once, write the test classpath of a module, set the allocator, set up local-cluster.
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
# For benchmarks on local-cluster: runs the local-cluster test $1, which fills
# spark-job/target/spark-home (the executor JVMs take their classes from there), exports SPARK_HOME
# and sets local_cluster_opts, the Java options that make scripts/proxyless use it on loopback.
local_cluster_setup() {
  mvn -q -B -o install -DskipTests >/dev/null
  mvn -q -B -o -pl spark-job surefire:test -Dtest="$1" >/dev/null
  export SPARK_HOME="$bench_root/spark-job/target/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  local_cluster_opts="-Dspark.home=$SPARK_HOME -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1
  -Dspark.ui.enabled=false -Dspark.executorEnv.SPARK_LOCAL_IP=127.0.0.1 -Dspark.executorEnv.ONEDNN_MAX_CPU_ISA=AVX2
  -Dspark.executorEnv.MALLOC_ARENA_MAX=1 -Dspark.executor.extraJavaOptions=-Dai.djl.offline=true"
}
# log_or_fail LOG COMMAND...: runs the command with its output in LOG; on failure prints the command and
# the log's tail, and stops the benchmark.
log_or_fail() {
  local log=$1; shift
  "$@" >"$log" 2>&1 || { echo "failed: $*" >&2; tail -20 "$log" >&2; exit 1; }
}
