#!/usr/bin/env bash
# CPU per response, loadleak vs wrk, side by side in one run on nginx (127.0.0.1): rounds alternate
# the two tools, and each figure is the median of ROUNDS rounds. CPU is the whole process's user +
# system time (the JIT and GC included for loadleak) over the responses it counted.
#   max   both as fast as CONNECTIONS connections allow (wrk -tWRK_THREADS, loadleak max: true);
#   rate  both held near RATE requests/s: loadleak's open model at RATE/s over CONNECTIONS
#         connections; wrk cannot hold a rate, so each of its RATE_CONNECTIONS connections waits
#         RATE_CONNECTIONS / RATE seconds after each answer (its Lua delay(), whole milliseconds),
#         which lands near RATE. Achieved rates are printed beside the CPU: compare CPU per response.
#   bash src/bench/cpu-vs-wrk.sh               (MODES="max rate" ROUNDS=5 DURATION=30 CONNECTIONS=50
#                                               RATE=20000 RATE_CONNECTIONS=40 APP=target/quarkus-app
#                                               EXTRA="--prewarm 2s" WRK_THREADS=2 JVM="-XX:+UseSerialGC")
# Installs nginx and wrk when missing and stops nginx on exit. Needs a packaged build (./mvnw package).
set -euo pipefail
cd "$(dirname "$0")/../.."
MODES=${MODES:-"max rate"}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-50}
RATE=${RATE:-20000}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-40}
APP=${APP:-target/quarkus-app}
EXTRA=${EXTRA:-}
WRK_THREADS=${WRK_THREADS:-2}
JVM=${JVM:-}
WORK=$(mktemp -d /tmp/loadleak-cpu.XXXX)
log() { echo "[cpu $(date +%T)] $*" >&2; }
[ -f "$APP/quarkus-run.jar" ] || { echo "no $APP/quarkus-run.jar: run ./mvnw package -DskipTests first" >&2; exit 2; }
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null || [ ! -x /usr/bin/time ]; then
  log "installing nginx and wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx-light wrk time >/dev/null
fi
. src/bench/nginx.sh
start_nginx "$WORK"
trap stop_nginx EXIT
DELAY_MS=$(( RATE_CONNECTIONS * 1000 / RATE ))
[ "$DELAY_MS" -ge 1 ] || DELAY_MS=1
printf 'function delay()\n  return %s\nend\n' "$DELAY_MS" > "$WORK/delay.lua"

scenario() { # MODE -> the scenario file
  local rate=""
  [ "$1" = rate ] && rate=$RATE
  bench_scenario cpu "$CONNECTIONS" 1 "$DURATION" "$rate" > "$WORK/$1.yaml"
}

loadleak() { # MODE : appends "responses/s cpu-µs-per-response send-lag-p99-µs" to $WORK/MODE.loadleak
  rm -rf "$WORK/out"
  /usr/bin/time -f "%U %S" -o "$WORK/time" java $JVM -jar "$APP/quarkus-run.jar" run "$WORK/$1.yaml" --out "$WORK/out" -q \
    $EXTRA >/dev/null || true
  python3 - "$WORK/out/result.json" "$WORK/time" >> "$WORK/$1.loadleak" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
o = r['overall']
cpu = sum(float(x) for x in open(sys.argv[2]).read().split()[-2:])
n = o['requests']
print(round(n / o['durationSeconds']), round(cpu / n * 1e6, 3) if n else 0, (r.get('sendLagMicros') or {}).get('p99', 0))
PY
}

wrk_run() { # MODE : appends "responses/s cpu-µs-per-response -" to $WORK/MODE.wrk
  local args=(-t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s")
  [ "$1" = rate ] && args=(-t"$WRK_THREADS" -c"$RATE_CONNECTIONS" -d"${DURATION}s" -s "$WORK/delay.lua")
  /usr/bin/time -f "%U %S" -o "$WORK/time" wrk "${args[@]}" http://127.0.0.1:18180/x > "$WORK/wrk.out" 2>&1 || true
  python3 - "$WORK/wrk.out" "$WORK/time" "$DURATION" >> "$WORK/$1.wrk" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r'(\d+) requests in ([\d.]+)(\w+)', text)
n = int(m.group(1)) if m else 0
secs = float(m.group(2)) * {'s': 1, 'ms': 1e-3, 'm': 60}.get(m.group(3), 1) if m else float(sys.argv[3])
cpu = sum(float(x) for x in open(sys.argv[2]).read().split()[-2:])
print(round(n / secs), round(cpu / n * 1e6, 3) if n else 0, '-')
PY
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }
echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1) ${JVM}; $(wrk --version 2>&1 | head -1 | cut -c1-40)"
echo "nginx on 127.0.0.1; ${DURATION}s per run; $ROUNDS rounds alternating; $CONNECTIONS connections (rate mode:" \
  "loadleak $RATE/s open model, wrk $RATE_CONNECTIONS connections with a ${DELAY_MS} ms delay); loadleak ${EXTRA:-(no flags)};" \
  "wrk -t$WRK_THREADS"
for mode in $MODES; do
  scenario "$mode"
  for r in $(seq 1 "$ROUNDS"); do
    log "$mode round $r"
    if [ $((r % 2)) -eq 1 ]; then loadleak "$mode"; wrk_run "$mode"; else wrk_run "$mode"; loadleak "$mode"; fi
  done
  for tool in loadleak wrk; do
    T=$(cut -d' ' -f1 < "$WORK/$mode.$tool" | median); C=$(cut -d' ' -f2 < "$WORK/$mode.$tool" | median)
    printf '%-5s %-8s median %7.0f responses/s, %6.2f µs CPU per response   rounds (resp/s, µs, lag p99 µs): %s\n' \
      "$mode" "$tool" "$T" "$C" "$(awk '{printf "%s/%s/%s ", $1, $2, $3}' "$WORK/$mode.$tool")"
    echo "$T $C" > "$WORK/$mode.$tool.m"
  done
  read -r TL CL < "$WORK/$mode.loadleak.m"; read -r TW CW < "$WORK/$mode.wrk.m"
  awk -v m="$mode" -v tl="$TL" -v tw="$TW" -v cl="$CL" -v cw="$CW" \
    'BEGIN {printf "%-5s loadleak ÷ wrk: throughput %.3f ×, CPU per response %.3f ×\n", m, tl / tw, cl / cw}'
  paste -d' ' "$WORK/$mode.loadleak" "$WORK/$mode.wrk" | awk -v m="$mode" \
    '{printf "%-5s round %d: throughput %.3f ×, CPU per response %.3f ×\n", m, NR, $1 / $4, $2 / $5}'
done
