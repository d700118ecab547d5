#!/usr/bin/env bash
# loadleak's own memory over a long run: 11 minutes at 5,000 req/s (open model) against nginx on
# 127.0.0.1, loadleak's RSS (VmRSS of its process) sampled every 10 s. Goal: RSS after 10 minutes
# within +10 MB of RSS after 1 minute.
#   bash src/bench/rss-flatness.sh            (RATE=5000 MINUTES=11; NATIVE=1 for the native executable)
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-5000}
MINUTES=${MINUTES:-11}
WORK=$(mktemp -d /tmp/loadleak-rss.XXXX)
if ! command -v nginx >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx-light >/dev/null
fi
if [ "${NATIVE:-0}" = 1 ]; then CMD=("$(ls target/*-runner | head -1)"); else
  [ -d target/quarkus-app/lib ] || ./mvnw -B -q package -DskipTests
  CMD=(java -jar target/quarkus-app/quarkus-run.jar)
fi
. src/bench/nginx.sh
start_nginx "$WORK"
trap stop_nginx EXIT
cat > "$WORK/s.yaml" <<YAML
name: rss-flatness
target: http://127.0.0.1:18180
defaults: {maxConnections: 64, timeout: 5s}
phases: [{name: soak, duration: ${MINUTES}m, rate: ${RATE}/s}]
requests: [{path: "/x?n=\${seq}"}]
YAML
"${CMD[@]}" run "$WORK/s.yaml" --out "$WORK/out" -q > "$WORK/run.log" 2>&1 &
PID=$!
echo "second,rss_mb" > "$WORK/rss.csv"
T0=$(date +%s)
while kill -0 $PID 2>/dev/null; do
  RSS=$(awk '/VmRSS/ {print $2}' /proc/$PID/status 2>/dev/null || true)
  [ -n "$RSS" ] && echo "$(( $(date +%s) - T0 )),$(( RSS / 1024 ))" >> "$WORK/rss.csv"
  sleep 10
done
wait $PID || true
python3 - "$WORK" <<'PY'
import csv, json, sys
w = sys.argv[1]
rows = [(int(a), int(b)) for a, b in list(csv.reader(open(w + "/rss.csv")))[1:]]
def at(t):
    return min(rows, key=lambda r: abs(r[0] - t))
r = json.load(open(w + "/out/result.json"))
one, ten = at(60), at(600)
print(f"achieved {r['overall']['throughputPerSecond']} req/s of {r['intendedRequests'] / r['durationSeconds']:.0f}; "
      f"corrected p99 {r['overall']['latencyMicros']['corrected']['p99']} us; send-lag p99 {r['sendLagMicros']['p99']} us")
print(f"RSS at {one[0]} s: {one[1]} MB; at {ten[0]} s: {ten[1]} MB; difference {ten[1] - one[1]:+d} MB (goal <= +10 MB)")
print("RSS every minute:", [b for a, b in rows if a % 60 < 10])
PY
echo "samples: $WORK/rss.csv"
