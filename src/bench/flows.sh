#!/usr/bin/env bash
# Flows, side by side in one run (ratios of medians):
#  1. a one-step flow vs the same request under requests:, max rate, on nginx (since there is one engine
#     path both run as one-step flows: expect 1.0 x; the cost of that path against the build before it
#     is src/bench/builds.sh's);
#  2. a four-step flow (JSON extraction, a cookie, a header carrying the extracted value) vs the
#     same four requests as an independent mix (with a constant header and cookie of the same
#     size, so that the target does the same work), max rate, against the built-in target (goal: >= 0.8 x);
#  3. USERS virtual users (default 100,000), closed model, think 20 s, one step, on nginx: iterations
#     per second against users / (think + latency) (goal: within 2 %), loadleak's peak RSS (goal:
#     < 512 MB). The per-user state measured by JOL is FlowFootprintTest's.
# Installs what it needs (Debian: nginx-light) and stops every server it starts.
#   bash src/bench/flows.sh        (CONNECTIONS=64 DURATION=10 ROUNDS=3 USERS=100000 SOAK=90; USERS=0 skips part 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
USERS=${USERS:-100000}
SOAK=${SOAK:-90}
WORK=$(mktemp -d /tmp/loadleak-flows.XXXX)
JAR=target/quarkus-app/quarkus-run.jar
log() { echo "[flows $(date +%T)] $*" >&2; }
if ! command -v nginx >/dev/null || [ ! -x /usr/bin/time ]; then
  log "installing nginx"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx-light time curl >/dev/null
fi
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
. src/bench/nginx.sh
start_nginx "$WORK"
java -jar "$JAR" target --port 18181 > "$WORK/target.log" 2>&1 &
TARGET_PID=$!
cleanup() { stop_nginx; kill "$TARGET_PID" 2>/dev/null || true; }
trap cleanup EXIT
for i in $(seq 1 50); do curl -sf http://127.0.0.1:18181/health >/dev/null && break; sleep 0.2; done

run() { # KEY YAML-FILE : appends the overall req/s to $WORK/KEY
  /usr/bin/time -f "%P %M" -o "$WORK/time" java -jar "$JAR" run "$2" --out "$WORK/out" -q >/dev/null
  python3 -c "import json;print(json.load(open('$WORK/out/result.json'))['overall']['throughputPerSecond'])" >> "$WORK/$1"
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.3f", $1 / $2; else print "-" }'; }
head_yaml() { # URL
  printf 'name: bench\ntarget: %s\ndefaults: {maxConnections: %s, timeout: 5s}\nphases: [{name: p, duration: %ss, max: true}]\n' \
    "$1" "$CONNECTIONS" "$DURATION"
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $(java -version 2>&1 | head -1)"

# 1. one-step flow vs plain request on nginx
{ head_yaml http://127.0.0.1:18180; echo 'requests: [{name: r, path: /x}]'; } > "$WORK/plain.yaml"
{ head_yaml http://127.0.0.1:18180; echo 'flows: [{name: f, steps: [{name: r, path: /x}]}]'; } > "$WORK/flow1.yaml"
# 2. four-step flow vs four independent requests on the built-in target
{ head_yaml http://127.0.0.1:18181; cat <<'Y'; } > "$WORK/flow4.yaml"
flows:
  - name: f
    steps:
      - {name: csrf, path: /api/v1/csrf/token, extract: {csrf: {json: /token}}}
      - {name: a, path: /api/v1/media/1, headers: {X-CSRF-Token: "${csrf}"}}
      - {name: b, path: /api/v1/media/2, headers: {X-CSRF-Token: "${csrf}"}}
      - {name: c, path: /api/v1/media/3, headers: {X-CSRF-Token: "${csrf}"}}
Y
{ head_yaml http://127.0.0.1:18181; cat <<'Y'; } > "$WORK/req4.yaml"
requests:
  - {name: csrf, path: /api/v1/csrf/token}
  - {name: a, path: /api/v1/media/1, headers: {X-CSRF-Token: constant-token, Cookie: csrf=constant-token}}
  - {name: b, path: /api/v1/media/2, headers: {X-CSRF-Token: constant-token, Cookie: csrf=constant-token}}
  - {name: c, path: /api/v1/media/3, headers: {X-CSRF-Token: constant-token, Cookie: csrf=constant-token}}
Y
for r in $(seq 1 "$ROUNDS"); do
  log "round $r"
  run plain "$WORK/plain.yaml"; run flow1 "$WORK/flow1.yaml"
  run req4 "$WORK/req4.yaml"; run flow4 "$WORK/flow4.yaml"
done
P=$(median < "$WORK/plain"); F=$(median < "$WORK/flow1")
echo "max rate, $CONNECTIONS connections, ${DURATION}s, median of $ROUNDS rounds:"
printf "  nginx: plain request %.0f req/s, one-step flow %.0f req/s: %s x (rounds: plain %s; flow %s)\n" "$P" "$F" \
  "$(ratio "$F" "$P")" "$(tr '\n' ' ' < "$WORK/plain")" "$(tr '\n' ' ' < "$WORK/flow1")"
Q=$(median < "$WORK/req4"); G=$(median < "$WORK/flow4")
printf "  built-in target: 4 independent requests %.0f req/s, 4-step flow with extraction and cookies %.0f req/s: %s x (rounds: %s; %s)\n" \
  "$Q" "$G" "$(ratio "$G" "$Q")" "$(tr '\n' ' ' < "$WORK/req4")" "$(tr '\n' ' ' < "$WORK/flow4")"

# 3. many virtual users: closed model, think 20 s, one step; the scored phase starts at 30 s
[ "$USERS" -gt 0 ] || exit 0
cat > "$WORK/users.yaml" <<Y
name: users
target: http://127.0.0.1:18180
defaults: {maxConnections: $CONNECTIONS, timeout: 10s}
phases: [{name: p, duration: ${SOAK}s, concurrency: $USERS, think: 20s}]
flows: [{name: f, steps: [{name: r, path: /x}]}]
Y
log "$USERS users for ${SOAK}s"
/usr/bin/time -f "%P %M" -o "$WORK/time" java -jar "$JAR" run "$WORK/users.yaml" --out "$WORK/out" -q >/dev/null || true
python3 - "$WORK/out/result.json" "$USERS" "$(awk '{print $2}' "$WORK/time")" "$(awk '{print $1}' "$WORK/time")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
users = int(sys.argv[2])
t = [p for p in r["timeline"] if 30 <= p["second"] < r["durationSeconds"] - 1]
rate = sum(p["requests"] for p in t) / len(t)
lat = r["overall"]["latencyMicros"]["uncorrected"]["mean"] / 1e6
expected = users / (20 + lat)
f = r["flows"]["f"]
print("  %d users, think 20 s: %.1f iterations/s from 30 s on (expected users/(think+latency) = %.1f: %+.2f %%);"
      " iterations %d started, %d completed, %d failed, %d aborted; errors %d; peak RSS %.0f MB; CPU %s"
      % (users, rate, expected, (rate / expected - 1) * 100, f["started"], f["completed"], f["failed"], f["aborted"],
         r["overall"]["errors"], int(sys.argv[3]) / 1024, sys.argv[4]))
PY
