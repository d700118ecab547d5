#!/usr/bin/env bash
# Native executable vs JVM, side by side in one run on the same machine and target:
#   start-up (--help, validate: median of 11), loadleak's own peak RSS at 1,000 req/s for 20 s,
#   and max req/s (64 connections, 10 s, median of 3) against nginx serving a small JSON on 127.0.0.1.
# Needs the native executable (native/build.sh) and the JVM build (./mvnw package); installs nginx.
#   bash src/bench/native-vs-jvm.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d /tmp/loadleak-native-bench.XXXX)
JAR=target/quarkus-app/quarkus-run.jar
NATIVE=$(ls target/*-runner 2>/dev/null | head -1 || true)
log() { echo "[bench $(date +%T)] $*" >&2; }
[ -n "$NATIVE" ] || { echo "no native executable: run native/build.sh first" >&2; exit 3; }
if [ ! -d target/quarkus-app/lib ] || ! java -jar "$JAR" --version >/dev/null 2>&1; then ./mvnw -B -q package -DskipTests; fi
if ! command -v nginx >/dev/null || [ ! -x /usr/bin/time ] || ! command -v bc >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx-light time bc >/dev/null
fi
. src/bench/nginx.sh
start_nginx "$WORK"
trap stop_nginx EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { # command... -> wall milliseconds
  local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 ));
}
startup() { # label command...
  local label=$1; shift
  for i in $(seq 1 11); do ms "$@"; done | median
}
scenario() { # mode duration
  cat > "$WORK/s.yaml" <<YAML
name: bench
target: http://127.0.0.1:18180
defaults: {maxConnections: 64, timeout: 5s}
phases: [{name: p, duration: $2, $1}]
requests: [{path: /x}]
YAML
}
run() { # command... -> "req/s peakRSS_MB"
  "$@" run "$WORK/s.yaml" --out "$WORK/out" -q >/dev/null 2>&1 || true
  python3 -c "import json;r=json.load(open('$WORK/out/result.json'));print(r['overall']['throughputPerSecond'], round(r['generator']['peakRssBytes']/1048576))"
}
JVM=(java -jar "$JAR")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $(java -version 2>&1 | head -1); native: $NATIVE"
echo "start-up, median of 11 (ms):"
printf "  %-30s native %5s | JVM %5s\n" "--help" "$(startup n "$NATIVE" --help)" "$(startup j "${JVM[@]}" --help)"
printf "  %-30s native %5s | JVM %5s\n" "validate scenarios/demo.yaml" "$(startup n "$NATIVE" validate scenarios/demo.yaml)" \
  "$(startup j "${JVM[@]}" validate scenarios/demo.yaml)"
scenario "rate: 1000/s" 20s
N=$(run "$NATIVE"); J=$(run "${JVM[@]}")
echo "1,000 req/s for 20 s: native $(echo $N | cut -d' ' -f1) req/s, peak RSS $(echo $N | cut -d' ' -f2) MB | JVM $(echo $J | cut -d' ' -f1) req/s, peak RSS $(echo $J | cut -d' ' -f2) MB"
scenario "max: true" 10s
: > "$WORK/n"; : > "$WORK/j"
for r in 1 2 3; do run "$NATIVE" | cut -d' ' -f1 >> "$WORK/n"; run "${JVM[@]}" | cut -d' ' -f1 >> "$WORK/j"; done
NM=$(median < "$WORK/n"); JM=$(median < "$WORK/j")
printf "max rate, 64 connections, 10 s, median of 3: native %.0f req/s | JVM %.0f req/s | native/JVM %.2f\n" "$NM" "$JM" \
  "$(echo "$NM / $JM" | bc -l)"
