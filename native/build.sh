#!/usr/bin/env bash
# Builds the native loadleak executable (target/loadleak-<version>-runner) and, with --image,
# the runtime container image (native/Dockerfile).
#
# Toolchain, in this order:
#   1. $GRAALVM_HOME, if set: an installed GraalVM or Mandrel for JDK 25;
#   2. on our machines (no GraalVM package), ../shared/native-toolchain/graalvm-home.sh assembles
#      one (about 4 min the first time, then cached);
#   3. otherwise: ./mvnw package -Dnative -Dquarkus.native.container-build=true builds inside
#      Quarkus' builder container (needs docker or podman).
# Exit codes: 0 built; 3 no native toolchain here (not a project failure); anything else failed.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=0
[ "${1:-}" = "--image" ] && IMAGE=1

if [ -z "${GRAALVM_HOME:-}" ]; then
  RECIPE=../shared/native-toolchain/graalvm-home.sh
  if [ -f "$RECIPE" ]; then
    set +e
    OUTPUT=$(bash "$RECIPE" 2>&1)
    RC=$?
    set -e
    if [ $RC -ne 0 ]; then
      echo "$OUTPUT" | tail -20 >&2
      [ $RC -eq 3 ] && { echo "native toolchain unavailable on this machine" >&2; exit 3; }
      exit $RC
    fi
    export GRAALVM_HOME=$(echo "$OUTPUT" | sed -n 's/^GRAALVM_HOME=//p' | tail -1)
  else
    echo "no GRAALVM_HOME and no toolchain recipe: install GraalVM/Mandrel for JDK 25, or run" >&2
    echo "  ./mvnw package -Dnative -Dquarkus.native.container-build=true" >&2
    exit 3
  fi
fi
echo "GRAALVM_HOME=$GRAALVM_HOME"
# the builder needs JDK 25 (the assembled toolchain runs on Temurin 25)
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -B -q package -Dnative -DskipTests
ls -l target/*-runner
if [ $IMAGE = 1 ]; then
  docker build -f native/Dockerfile -t "loadleak:$(./mvnw -q help:evaluate -Dexpression=project.version -DforceStdout)" -t loadleak:latest .
fi
