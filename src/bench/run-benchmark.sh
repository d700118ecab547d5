#!/usr/bin/env bash
# loadleak vs wrk and autocannon, side by side in one run, on the same target, connections and
# duration: nginx serving a small JSON on 127.0.0.1, and loadleak's built-in target. wrk runs with 1
# and with 2 threads, loadleak with 1 and 2 event loops (JVM, and the native executable when one is
# built), so each pairing uses the same number of sending threads; ratios are of medians. Then the
# open model at a fixed rate (5 s warm-up phase, then 20 s scored): achieved rate and send lag.
# Installs what it needs (Debian: wrk, nginx-light; npm: autocannon) and stops every server it starts.
#   bash src/bench/run-benchmark.sh     (CONNECTIONS=64 DURATION=10 ROUNDS=3 RATE=10000 TARGETS="nginx built-in"
#                                        WARMUP=0 leaves out jvm-warmup.sh's JVM variants)
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-10000}
TARGETS=${TARGETS:-"nginx built-in"}
WORK=$(mktemp -d /tmp/loadleak-bench.XXXX)
JAR=target/quarkus-app/quarkus-run.jar
NATIVE=${NATIVE:-$(ls target/loadleak-*-runner 2>/dev/null | head -1 || true)}
log() { echo "[bench $(date +%T)] $*" >&2; }

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || ! command -v bc >/dev/null || [ ! -x /usr/bin/time ]; then
  log "installing wrk and nginx"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk nginx-light bc time curl >/dev/null
fi
if [ ! -x "$WORK/node_modules/.bin/autocannon" ]; then
  log "installing autocannon"
  (cd "$WORK" && npm install --silent --no-audit --no-fund autocannon@7 >/dev/null 2>&1) || log "autocannon unavailable"
fi
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests

. src/bench/nginx.sh
start_nginx "$WORK"
java -jar "$JAR" target --port 18181 > "$WORK/target.log" 2>&1 &
TARGET_PID=$!
cleanup() { stop_nginx; kill "$TARGET_PID" 2>/dev/null || true; }
trap cleanup EXIT
for i in $(seq 1 50); do curl -sf http://127.0.0.1:18181/health >/dev/null && break; sleep 0.2; done

scenario() { # url path phases-yaml
  cat > "$WORK/s.yaml" <<YAML
name: bench
target: $1
defaults: {maxConnections: $CONNECTIONS, timeout: 5s}
phases: $3
requests: [{path: $2}]
YAML
}
# loadleak_run KEY LOOPS BINARY... : runs the scenario; appends req/s to $WORK/<key>, "cpu rss" to $WORK/<key>.x
loadleak_run() {
  local key=$1 loops=$2; shift 2
  /usr/bin/time -f "%P %M" -o "$WORK/time" "$@" run "$WORK/s.yaml" --out "$WORK/out" -q --event-loops "$loops" >/dev/null
  python3 -c "import json;print(json.load(open('$WORK/out/result.json'))['overall']['throughputPerSecond'])" >> "$WORK/$key"
  awk '{printf "cpu %s, rss %.0f MB\n", $1, $2/1024}' "$WORK/time" >> "$WORK/$key.x"
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); $(java -version 2>&1 | head -1)"
echo "max rate, $CONNECTIONS connections, ${DURATION}s, median of $ROUNDS rounds (req/s); 'x wrk' = same thread count"
for t in $TARGETS; do
  case $t in
    nginx) url=http://127.0.0.1:18180 path=/x ;;
    built-in) url=http://127.0.0.1:18181 path=/api/v1/media/1 ;;
  esac
  rm -f "$WORK"/r.*
  scenario "$url" "$path" "[{name: p, duration: ${DURATION}s, max: true}]"
  for r in $(seq 1 "$ROUNDS"); do
    for n in 1 2; do
      wrk -t$n -c"$CONNECTIONS" -d"${DURATION}s" "$url$path" | awk '/Requests\/sec/ {print $2}' >> "$WORK/r.wrk$n"
      loadleak_run r.jvm$n "$n" java -jar "$JAR"
      if [ -n "$NATIVE" ]; then loadleak_run r.native$n "$n" "$NATIVE"; fi
    done
    if [ -x "$WORK/node_modules/.bin/autocannon" ]; then
      "$WORK/node_modules/.bin/autocannon" -j -c "$CONNECTIONS" -d "$DURATION" "$url$path" 2>/dev/null \
        | python3 -c "import json,sys;print(json.load(sys.stdin)['requests']['average'])" >> "$WORK/r.ac"
    fi
  done
  echo "  $t ($url$path):"
  for n in 1 2; do
    W=$(median < "$WORK/r.wrk$n")
    line=$(printf "    %d thread(s): wrk %7.0f | loadleak JVM %7.0f (%s x wrk; %s)" "$n" "$W" "$(median < "$WORK/r.jvm$n")" \
      "$(ratio "$(median < "$WORK/r.jvm$n")" "$W")" "$(tail -1 "$WORK/r.jvm$n.x")")
    if [ -n "$NATIVE" ]; then
      line="$line$(printf " | native %7.0f (%s x wrk; %s)" "$(median < "$WORK/r.native$n")" \
        "$(ratio "$(median < "$WORK/r.native$n")" "$W")" "$(tail -1 "$WORK/r.native$n.x")")"
    fi
    echo "$line"
  done
  if [ -s "$WORK/r.ac" ]; then
    A=$(median < "$WORK/r.ac")
    printf "    autocannon (1 thread) %7.0f (%s x wrk -t1, %s x wrk -t2)\n" "$A" "$(ratio "$A" "$(median < "$WORK/r.wrk1")")" \
      "$(ratio "$A" "$(median < "$WORK/r.wrk2")")"
  fi
done

echo "open model at $RATE/s against nginx: 5 s warm-up phase, then 20 s scored:"
scenario http://127.0.0.1:18180 /x "[{name: warm, duration: 5s, rate: $RATE/s, warmup: true}, {name: p, duration: 20s, rate: $RATE/s}]"
open_model() { # label binary...
  local label=$1; shift
  "$@" run "$WORK/s.yaml" --out "$WORK/out" -q >/dev/null
  python3 - "$WORK/out/result.json" "$label" "$RATE" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p = r["phases"]["p"]
lag = r["sendLagMicros"]
print("  %-8s achieved %.1f/s in the scored phase (intended %s, %+.2f %%); send lag p50 %d µs, p99 %d µs, max %.1f ms;"
      " late sends %d" % (sys.argv[2], p["throughputPerSecond"], sys.argv[3],
      (p["throughputPerSecond"] / float(sys.argv[3]) - 1) * 100, lag["p50"], lag["p99"], lag["max"] / 1000, p["lateSends"]))
PY
}
open_model JVM java -jar "$JAR"
if [ -n "$NATIVE" ]; then open_model native "$NATIVE"; fi
# the JVM's first seconds: each JVM variant (JDK 17, Temurin 25, Temurin 25 + AOT cache when built
# with -Daot, native when built) paired with wrk per round; the first three seconds and 60 s rounds
if [ "${WARMUP:-1}" = 1 ] && [ -x "${T25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" ]; then
  stop_nginx
  variants="jdk17 t25"
  [ -f target/quarkus-app/app.aot ] && variants="$variants t25-aot"
  [ -n "$NATIVE" ] && variants="$variants native"
  VARIANTS="$variants" bash src/bench/jvm-warmup.sh
fi
