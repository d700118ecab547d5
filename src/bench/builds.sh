#!/usr/bin/env bash
# Two builds of loadleak side by side in one run: the same scenario on nginx (127.0.0.1), rounds
# alternating A and B so that the machine's drift falls on both. Reports per build the median
# throughput and the median CPU per response (whole process, user + system, JIT included), and
# the ratios B ÷ A. The scenario: max rate (or RATE requests/s, open model: then the send lag's p99
# too), CONNECTIONS connections, DURATION seconds, a `requests:` scenario of one GET (what wrk sends).
#   bash src/bench/builds.sh A_DIR B_DIR     (each a quarkus-app folder, e.g. an older build copied
#                                             aside, and target/quarkus-app)
#   CONNECTIONS=50 PIPELINING=1 DURATION=15 ROUNDS=5 EXTRA="--prewarm 2s" bash src/bench/builds.sh ...
#   EXTRA_A="--transport epoll" EXTRA_B="--transport io_uring" bash src/bench/builds.sh APP APP
#                                            (one build, two settings: flags for A only and for B only)
#   JVM_B="-XX:+UseSerialGC" bash src/bench/builds.sh APP APP   (JVM options for A only / B only: JVM_A, JVM_B)
# Installs nginx when it is missing and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
A=${1:?the quarkus-app folder of build A}
B=${2:?the quarkus-app folder of build B}
CONNECTIONS=${CONNECTIONS:-50}
PIPELINING=${PIPELINING:-1}
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-5}
EXTRA=${EXTRA:-}
EXTRA_A=${EXTRA_A:-}
EXTRA_B=${EXTRA_B:-}
JVM_A=${JVM_A:-}
JVM_B=${JVM_B:-}
RATE=${RATE:-}
WORK=$(mktemp -d /tmp/loadleak-builds.XXXX)
log() { echo "[builds $(date +%T)] $*" >&2; }
if ! command -v nginx >/dev/null || [ ! -x /usr/bin/time ]; then
  log "installing nginx"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx-light time >/dev/null
fi
. src/bench/nginx.sh
start_nginx "$WORK"
trap stop_nginx EXIT
LOAD="max: true"
[ -z "$RATE" ] || LOAD="rate: $RATE/s"
bench_scenario builds "$CONNECTIONS" "$PIPELINING" "$DURATION" "$RATE" > "$WORK/s.yaml"

run() { # KEY APP-DIR : appends "req/s cpu-us-per-response send-lag-p99-us" to $WORK/KEY
  local own=$EXTRA_A jvm=$JVM_A
  [ "$1" = b ] && own=$EXTRA_B && jvm=$JVM_B
  rm -rf "$WORK/out"
  /usr/bin/time -f "%U %S" -o "$WORK/time" java $jvm -jar "$2/quarkus-run.jar" run "$WORK/s.yaml" --out "$WORK/out" -q $EXTRA \
    $own >/dev/null || true
  python3 - "$WORK/out/result.json" "$WORK/time" >> "$WORK/$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
o = r['overall']
cpu = sum(float(x) for x in open(sys.argv[2]).read().split()[-2:])
n = o['requests']
print(o['throughputPerSecond'], cpu / n * 1e6 if n else 0, (r.get('sendLagMicros') or {}).get('p99', 0))
PY
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }
echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1); ${LOAD} on nginx, $CONNECTIONS connections, ${DURATION}s, $ROUNDS rounds ${EXTRA}; a: ${JVM_A} ${EXTRA_A:-(no flags)}, b: ${JVM_B} ${EXTRA_B:-(no flags)}"
for r in $(seq 1 "$ROUNDS"); do
  log "round $r"
  if [ $((r % 2)) -eq 1 ]; then run a "$A"; run b "$B"; else run b "$B"; run a "$A"; fi
done
for k in a b; do
  T=$(cut -d' ' -f1 < "$WORK/$k" | median); C=$(cut -d' ' -f2 < "$WORK/$k" | median)
  L=$(cut -d' ' -f3 < "$WORK/$k" | median)
  printf '%s: median %.0f req/s, %.2f µs CPU per response, send lag p99 %s µs (rounds: %s)\n' "$k" "$T" "$C" "$L" \
    "$(awk '{printf "%.0f/%.2f/%s ", $1, $2, $3}' "$WORK/$k")"
  echo "$T $C" > "$WORK/$k.m"
done
read -r TA CA < "$WORK/a.m"; read -r TB CB < "$WORK/b.m"
awk -v ta="$TA" -v tb="$TB" -v ca="$CA" -v cb="$CB" \
  'BEGIN {printf "B ÷ A: throughput %.3f ×, CPU per response %.3f ×\n", tb / ta, cb / ca}'
