#!/usr/bin/env bash
# Real-time steps at scale and per CPU, against a real socket.io 4.8 server from npm
# (src/test/node/realtime-service, clustered on both cores by src/bench/socketio-cluster.js):
#  1. CONNECTIONS (default 19,500) Socket.IO connections held open by one loadleak process for HOLD
#     seconds (default 90), each answering Engine.IO pings (every PING_MS, default 10 s) and emitting
#     ping-media with an ack once every 10 s: loadleak's peak RSS (goal < 1 GB), pings answered, lost
#     connections (goal 0: no heartbeat missed), acks.
#  2. emit -> ack at max rate over 50 connections, ROUNDS rounds of DURATION s, side by side with
#     Artillery's Socket.IO engine (npm artillery, installed here with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1;
#     ARTILLERY=0 skips it): acks per second and CPU per ack (whole process, user + system).
# Why 19,500 and not 20,000: RLIMIT_NOFILE is 20,000 here (hard) and cannot be raised without
# CAP_SYS_RESOURCE; a process also needs descriptors for its own files, epoll and pipes.
#   bash src/bench/realtime.sh        (CONNECTIONS=19500 HOLD=90 PING_MS=10000 ROUNDS=3 DURATION=20)
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-19500}
HOLD=${HOLD:-90}
PING_MS=${PING_MS:-10000}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20}
ARTILLERY=${ARTILLERY:-1}
PORT=${PORT:-18700}
WORK=$(mktemp -d /tmp/loadleak-realtime.XXXX)
JAR=target/quarkus-app/quarkus-run.jar
log() { echo "[realtime $(date +%T)] $*" >&2; }
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
[ -d src/test/node/realtime-service/node_modules/socket.io ] || (cd src/test/node/realtime-service && npm ci --no-audit --no-fund >/dev/null)
if [ ! -x /usr/bin/time ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq time >/dev/null
fi
SERVER_PID=
start_server() {
  PORT=$PORT PING_MS=$PING_MS UPDATE_MS=3600000 node src/bench/socketio-cluster.js > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for i in $(seq 1 100); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.1; done
}
stop_server() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; }
trap stop_server EXIT

# ---- 1. connections held open (CONNECTIONS=0 skips it) ----
if [ "$CONNECTIONS" -gt 0 ]; then
cat > "$WORK/hold.yaml" <<YAML
name: socketio-hold
target: http://127.0.0.1:$PORT
defaults: {timeout: 60s}
phases: [{name: hold, duration: ${HOLD}s, concurrency: $CONNECTIONS, think: 10s}]
flows:
  - name: hold
    steps:
      - {name: join, socketio: {connect: /media, auth: {token: good-token}}}
      - {name: ping, socketio: {emit: ping-media, ack: true, timeout: 30s}}
YAML
start_server
log "holding $CONNECTIONS connections for $HOLD s (pings every $PING_MS ms)"
/usr/bin/time -f "%U %S %M" -o "$WORK/hold.time" java -jar "$JAR" run "$WORK/hold.yaml" --out "$WORK/hold" -q > "$WORK/hold.out" 2>&1 || true
stop_server
python3 - "$WORK" "$CONNECTIONS" <<'PY'
import json, sys
w, n = sys.argv[1], int(sys.argv[2])
r = json.load(open(w + "/hold/result.json"))
rt = r["flows"]["hold"]["realtime"]
user, system, max_kb = open(w + "/hold.time").read().split()
join, ping = r["requests"]["hold.join"], r["requests"]["hold.ping"]
print(f"held: {rt['opened']} opened of {n} users, {rt['reused']} connects kept an open one, {rt['lost']} lost, "
      f"{rt['heartbeats']} pings answered, {ping['successes']} acks ({ping['errors']} ping errors), "
      f"{join['errors']} join errors {join['errorsByKind']}")
print(f"loadleak peak RSS {int(max_kb) / 1024:.0f} MB (goal < 1024), CPU {float(user) + float(system):.1f} s "
      f"over {r['durationSeconds']} s; join p50 {join['latencyMicros']['corrected']['p50'] / 1000:.1f} ms, "
      f"p99 {join['latencyMicros']['corrected']['p99'] / 1000:.1f} ms; ping p99 "
      f"{ping['latencyMicros']['corrected']['p99'] / 1000:.1f} ms")
PY
fi

# ---- 2. emit -> ack at max rate, side by side with Artillery ----
cat > "$WORK/max.yaml" <<YAML
name: socketio-max
target: http://127.0.0.1:$PORT
defaults: {timeout: 10s}
phases: [{name: max, duration: ${DURATION}s, concurrency: 50}]
flows:
  - name: acks
    steps:
      - {name: join, socketio: {connect: /media, auth: {token: good-token}}}
      - {name: ping, socketio: {emit: ping-media, data: {n: 1}, ack: true}}
YAML
if [ "$ARTILLERY" = 1 ] && [ ! -x "$WORK/../loadleak-artillery/node_modules/.bin/artillery" ]; then
  mkdir -p /tmp/loadleak-artillery
  (cd /tmp/loadleak-artillery && [ -f package.json ] || npm init -y >/dev/null; \
   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund artillery@2 >/dev/null 2>&1) || ARTILLERY=0
fi
ART=/tmp/loadleak-artillery/node_modules/.bin/artillery
# Artillery: virtual users that each join once and emit 400 times with an ack, waiting for each ack,
# arriving at 50/s for DURATION s (about 50 at a time: one lives about a second here). Its loop
# recurses per ack, so one user cannot emit for DURATION s (8,000 emits overflowed its stack). Its
# own counters time the emits (first to last): its start-up and final report are not in its rate
# (they are in its CPU, as loadleak's JVM start-up is in loadleak's).
PER_VU=${PER_VU:-400}
cat > "$WORK/artillery.yml" <<YAML
config:
  target: "http://127.0.0.1:$PORT"
  socketio: {transports: [websocket], auth: {token: good-token}}
  phases: [{duration: $DURATION, arrivalRate: 50}]
scenarios:
  - engine: socketio
    flow:
      - namespace: /media
        loop:
          - emit: {channel: ping-media, data: {n: 1}, acknowledge: {}}
        count: $PER_VU
YAML
for round in $(seq 1 "$ROUNDS"); do
  start_server
  /usr/bin/time -f "%U %S" -o "$WORK/ll.time" java -jar "$JAR" run "$WORK/max.yaml" --out "$WORK/max" -q > /dev/null 2>&1 || true
  python3 - "$WORK" <<'PY' >> "$WORK/ll.rows"
import json, sys
w = sys.argv[1]
r = json.load(open(w + "/max/result.json"))
p = r["requests"]["acks.ping"]
u, s = map(float, open(w + "/ll.time").read().split())
print(p["successes"] / r["durationSeconds"], (u + s) / max(1, p["successes"]) * 1e6)
PY
  stop_server
  if [ "$ARTILLERY" = 1 ]; then
    start_server
    /usr/bin/time -f "%U %S %e" -o "$WORK/art.time" "$ART" run -q -o "$WORK/art.json" "$WORK/artillery.yml" > "$WORK/art.out" 2>&1 || true
    python3 - "$WORK" <<'PY' >> "$WORK/art.rows"
import json, sys
w = sys.argv[1]
a = json.load(open(w + "/art.json"))["aggregate"]
acks = a["counters"].get("socketio.emit", 0)
seconds = max(0.001, (a["lastCounterAt"] - a["firstCounterAt"]) / 1000)
u, s, e = map(float, open(w + "/art.time").read().split())
print(acks / seconds, (u + s) / max(1, acks) * 1e6)
PY
    stop_server
  fi
done
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }
LL_RATE=$(cut -d' ' -f1 "$WORK/ll.rows" | median); LL_CPU=$(cut -d' ' -f2 "$WORK/ll.rows" | median)
echo "emit -> ack at max rate, 50 connections, medians of $ROUNDS rounds of $DURATION s:"
echo "  loadleak:  $(printf %.0f "$LL_RATE") acks/s, $(printf %.1f "$LL_CPU") µs CPU per ack"
if [ "$ARTILLERY" = 1 ] && [ -s "$WORK/art.rows" ]; then
  A_RATE=$(cut -d' ' -f1 "$WORK/art.rows" | median); A_CPU=$(cut -d' ' -f2 "$WORK/art.rows" | median)
  echo "  Artillery: $(printf %.0f "$A_RATE") acks/s, $(printf %.1f "$A_CPU") µs CPU per ack"
  python3 -c "print(f'  ratio: loadleak {$LL_RATE/$A_RATE:.2f} x the acks/s, {$LL_CPU/$A_CPU:.2f} x the CPU per ack')"
fi
log "work files in $WORK"
