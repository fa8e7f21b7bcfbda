# Sourced by the launchers. Shared JVM and native settings.

# glibc returns large freed blocks to the kernel (mmap/munmap); libtorch then page-faults every
# fresh activation buffer, which made oneDNN's layout reorders 20-30x slower than the convolution
# itself here. Keeping freed memory in the heap removes that (docs/performance.md).
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-4294967296}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-17179869184}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-536870912}"

PROXYLESS_JAVA_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
PROXYLESS_THREADS="${PROXYLESS_THREADS:-$(nproc)}"
PROXYLESS_JAVA_OPTS="-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=${PROXYLESS_THREADS} -Dai.djl.pytorch.num_interop_threads=1"
