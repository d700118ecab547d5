#!/usr/bin/env bash
# loadleak vs wrk and autocannon, side by side in one run, on the same target, connections and
# duration: nginx serving a small JSON on 127.0.0.1, and loadleak's built-in target. Also the open
# model at a fixed rate (achieved rate, send lag) and loadleak's own CPU and peak RSS.
# Installs what it needs (Debian: wrk, nginx-light; npm: autocannon) and stops every server it starts.
#   bash src/bench/run-benchmark.sh            (CONNECTIONS=64 DURATION=10 ROUNDS=3 RATE=10000)
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-10000}
WORK=$(mktemp -d /tmp/loadleak-bench.XXXX)
JAR=target/quarkus-app/quarkus-run.jar
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

scenario() { # url path mode
  cat > "$WORK/s.yaml" <<YAML
name: bench
target: $1
defaults: {maxConnections: $CONNECTIONS, timeout: 5s}
phases: [{name: p, duration: ${DURATION}s, $3}]
requests: [{path: $2}]
YAML
}
loadleak_rps() { # prints req/s, cpu %, peak RSS MB
  /usr/bin/time -f "%P %M" -o "$WORK/time" java -jar "$JAR" run "$WORK/s.yaml" --out "$WORK/out" -q >/dev/null
  python3 -c "import json;print(json.load(open('$WORK/out/result.json'))['overall']['throughputPerSecond'])"
  awk '{printf " cpu=%s rss=%.0fMB\n", $1, $2/1024}' "$WORK/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); java $(java -version 2>&1 | head -1)"
echo "max rate, $CONNECTIONS connections, ${DURATION}s, median of $ROUNDS rounds (req/s):"
for t in "nginx http://127.0.0.1:18180 /x" "built-in http://127.0.0.1:18181 /api/v1/media/1"; do
  set -- $t
  name=$1 url=$2 path=$3
  : > "$WORK/wrk" ; : > "$WORK/ll" ; : > "$WORK/ac"; : > "$WORK/llx"
  for r in $(seq 1 "$ROUNDS"); do
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$url$path" | awk '/Requests\/sec/ {print $2}' >> "$WORK/wrk"
    scenario "$url" "$path" "max: true"
    loadleak_rps > "$WORK/one"; head -1 "$WORK/one" >> "$WORK/ll"; tail -1 "$WORK/one" >> "$WORK/llx"
    if [ -x "$WORK/node_modules/.bin/autocannon" ]; then
      "$WORK/node_modules/.bin/autocannon" -j -c "$CONNECTIONS" -d "$DURATION" "$url$path" 2>/dev/null \
        | python3 -c "import json,sys;print(json.load(sys.stdin)['requests']['average'])" >> "$WORK/ac"
    fi
  done
  W=$(median < "$WORK/wrk"); L=$(median < "$WORK/ll"); A=$(median < "$WORK/ac" 2>/dev/null || echo 0)
  printf "  %-9s wrk %9.0f | loadleak %9.0f (%.2f x wrk;%s) | autocannon %9.0f (%.2f x wrk)\n" "$name" "$W" "$L" \
    "$(echo "$L / $W" | bc -l)" "$(tail -1 "$WORK/llx")" "${A:-0}" "$(echo "${A:-0} / $W" | bc -l)"
done
echo "open model at $RATE/s for 20 s against nginx:"
DURATION=20 scenario http://127.0.0.1:18180 /x "rate: $RATE/s"
loadleak_rps > "$WORK/one"
python3 - "$WORK/out/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = [p for p in r["timeline"] if p["requests"] > 0]
steady = t[3:-1]
print("  achieved %.1f/s overall (intended %d); seconds 4-20: %.1f/s; send lag p99 %.2f ms overall;"
      " late sends %d; warnings: %s" % (r["overall"]["throughputPerSecond"], r["intendedRequests"] / 20,
      sum(p["requests"] for p in steady) / max(1, len(steady)), r["sendLagMicros"]["p99"] / 1000,
      r["overall"]["lateSends"], len(r["warnings"])))
PY
