# Sourced by the launchers. Shared JVM and native settings.

# glibc serves large blocks with mmap and gives them back on free, and the JVM threads that call
# libtorch use per-thread arenas whose heaps cap at 64 MB, so every step's activations land on fresh
# pages: page faults made oneDNN's layout reorders 20-30x slower than the convolutions here. One
# arena, no mmap, no trimming keeps freed memory for reuse (docs/performance.md).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-17179869184}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-536870912}"

# libtorch 2.7.1's AVX-512 channels-last 1x1 convolution computes wrong results for some widths;
# capped at AVX2, training runs channels-last, 1.3-2.1x faster than NCHW (docs/performance.md).
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"

PROXYLESS_JAVA_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
PROXYLESS_THREADS="${PROXYLESS_THREADS:-$(nproc)}"
# PROXYLESS_EXTRA_JAVA_OPTS adds JVM options (Spark settings as -Dspark.*=..., say) to every launch.
PROXYLESS_JAVA_OPTS="-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=${PROXYLESS_THREADS} -Dai.djl.pytorch.num_interop_threads=1 ${PROXYLESS_EXTRA_JAVA_OPTS:-}"
