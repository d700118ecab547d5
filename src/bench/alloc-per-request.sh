#!/usr/bin/env bash
# Bytes the JVM allocates per response on loadleak's event loops, at steady state, measured exactly
# (the JVM's per-thread allocation counters, read through JFR's jdk.ThreadAllocationStatistics every
# second), not sampled. Per build given (each a quarkus-app folder): one run of DURATION seconds on
# nginx (127.0.0.1), max rate over CONNECTIONS connections (or RATE requests/s, open model). The first
# WARM seconds are left out (class loading, the JIT's first compilations, connecting): the figure is
# the event-loop threads' allocation between WARM and the end, over the responses of that stretch.
#   bash src/bench/alloc-per-request.sh target/quarkus-app [/tmp/older-app ...]
#   RATE=20000 DURATION=20 WARM=5 EXTRA="--prewarm 2s" bash src/bench/alloc-per-request.sh APP
# Installs nginx when it is missing and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 QUARKUS_APP_DIR [...]" >&2; exit 2; }
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-20}
WARM=${WARM:-5}
EXTRA=${EXTRA:-}
RATE=${RATE:-}
WORK=$(mktemp -d /tmp/loadleak-alloc.XXXX)
if ! command -v nginx >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx-light >/dev/null
fi
. src/bench/nginx.sh
start_nginx "$WORK"
trap stop_nginx EXIT
LOAD="max: true"
[ -z "$RATE" ] || LOAD="rate: $RATE/s"
bench_scenario alloc "$CONNECTIONS" 1 "$DURATION" "$RATE" > "$WORK/s.yaml"
echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1); ${LOAD} on nginx, $CONNECTIONS connections, ${DURATION}s (first ${WARM}s left out) ${EXTRA}"
for app in "$@"; do
  rm -rf "$WORK/out" "$WORK/r.jfr"
  java "-XX:StartFlightRecording=filename=$WORK/r.jfr,settings=default,jdk.ThreadAllocationStatistics#period=1s" \
    -jar "$app/quarkus-run.jar" run "$WORK/s.yaml" --out "$WORK/out" -q $EXTRA >/dev/null 2>"$WORK/err" || true
  jfr print --json --events jdk.ThreadAllocationStatistics "$WORK/r.jfr" > "$WORK/alloc.json"
  python3 - "$app" "$WORK/alloc.json" "$WORK/out/result.json" "$WARM" <<'PY'
import json, sys
from datetime import datetime
app, alloc, result, warm = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
r = json.load(open(result))
events = json.load(open(alloc))['recording']['events']
t = lambda e: datetime.fromisoformat(e['values']['startTime'][:26].rstrip('Z')).timestamp()
t0 = min(t(e) for e in events)
loops = {}  # event-loop thread -> [(seconds since the first sample, bytes allocated so far)]
for e in events:
    name = (e['values'].get('thread') or {}).get('javaName') or ''
    if 'eventloop' in name:
        loops.setdefault(name, []).append((t(e) - t0, e['values']['allocated']))
if not loops:
    sys.exit(f'{app}: no event-loop thread in the recording')
# the result's timeline gives the responses per second; JFR's first sample is close to the JVM's start
tl = r.get('timeline') or []
first = min(v[0][0] for v in loops.values())
last = max(v[-1][0] for v in loops.values())
bytes_ = 0
for samples in loops.values():
    samples.sort()
    after = [b for s, b in samples if s >= first + warm]
    if after:
        bytes_ += after[-1] - after[0]
span = last - (first + warm)
rps = r['overall']['throughputPerSecond']
responses = rps * span
print(f"{app}: {len(loops)} event loop(s), {bytes_ / 1e6:.1f} MB over the last {span:.0f} s, "
      f"~{responses:,.0f} responses at {rps:,.0f}/s: {bytes_ / responses:.1f} B per response")
PY
done
