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
#   WARMUP=5 bash src/bench/cpu-vs-wrk.sh      loadleak's scenario starts with a warm-up phase of 5 s at the same
#                                               load (its send lag is then the scored phase's; its CPU per
#                                               response still counts every response); wrk runs 5 s longer
# In rate mode, when a C compiler is there, a third client runs each round: src/bench/paced.c, a minimal
# C client that paces exactly as loadleak does (a send every 1/RATE s at its intended time, one thread,
# epoll): the kernel's floor for exact pacing on this machine, beside wrk's bursts.
#   BREAKDOWN=1 bash src/bench/cpu-vs-wrk.sh   also samples each loadleak run with perf (499 Hz) and splits
#                                               its CPU per response by thread: the event loop in the kernel
#                                               and in user space, the JIT compilers, the main thread
#                                               (start-up), the rest (medians over the rounds)
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
BREAKDOWN=${BREAKDOWN:-0}
WARMUP=${WARMUP:-0}
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
  bench_scenario cpu "$CONNECTIONS" 1 "$DURATION" "$rate" "$WARMUP" > "$WORK/$1.yaml"
}

loadleak() { # MODE : appends "responses/s cpu-µs send-lag-p99-µs user-µs system-µs" (per response) to $WORK/MODE.loadleak
  rm -rf "$WORK/out"
  local sampler=()
  [ "$BREAKDOWN" = 1 ] && sampler=(perf record -q -F 499 -o "$WORK/perf.data" --)
  "${sampler[@]}" /usr/bin/time -f "%U %S" -o "$WORK/time" java $JVM -jar "$APP/quarkus-run.jar" run "$WORK/$1.yaml" --out "$WORK/out" -q \
    $EXTRA >/dev/null || true
  python3 - "$WORK/out/result.json" "$WORK/time" >> "$WORK/$1.loadleak" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
o = r['overall']
user, system = (float(x) for x in open(sys.argv[2]).read().split()[-2:])
n = sum(p['requests'] for p in r['phases'].values())  # a warm-up phase's responses too: its CPU is in the time
per = lambda s: round(s / n * 1e6, 3) if n else 0
print(round(o['requests'] / o['durationSeconds']), per(user + system), (r.get('sendLagMicros') or {}).get('p99', 0), per(user), per(system))
PY
  [ "$BREAKDOWN" = 1 ] || return 0
  perf report -i "$WORK/perf.data" --no-children --sort comm,dso -q -g none 2>/dev/null > "$WORK/perf.txt" || true
  python3 - "$WORK/perf.txt" "$WORK/$1.loadleak" >> "$WORK/$1.breakdown" <<'PY'
import re, sys
# the CPU per response of the run just appended, split by the shares of perf's samples
cpu = float(open(sys.argv[2]).read().split('\n')[-2].split()[1])
parts = {'loop-kernel': 0.0, 'loop-user': 0.0, 'jit': 0.0, 'main': 0.0, 'other': 0.0}
for line in open(sys.argv[1]):
    f = re.split(r'\s{2,}', line.strip())
    if len(f) < 3 or not f[0].endswith('%'):
        continue
    share, comm, dso = float(f[0][:-1]) / 100, f[1], f[2]
    if comm.startswith('vert.x-eventloo'):
        key = 'loop-kernel' if dso.startswith('[kernel') else 'loop-user'
    elif 'CompilerThre' in comm:
        key = 'jit'
    elif comm == 'java':
        key = 'main'
    else:
        key = 'other'
    parts[key] += share
print(' '.join('%.2f' % (parts[k] * cpu) for k in parts))
PY
}

paced_run() { # appends "responses/s cpu-µs send-lag-p99-µs user-µs system-µs" (per response) to $WORK/rate.paced
  [ -x "$WORK/paced" ] || return 0
  "$WORK/paced" 18180 "$RATE" "$CONNECTIONS" $((DURATION + WARMUP)) 2>>"$WORK/paced.err" \
    | awk '{print $2, $3, $4, $5, $6}' >> "$WORK/rate.paced" || true
}

wrk_run() { # MODE : appends "responses/s cpu-µs - user-µs system-µs" (per response) to $WORK/MODE.wrk
  local secs=$((DURATION + WARMUP))
  local args=(-t"$WRK_THREADS" -c"$CONNECTIONS" -d"${secs}s")
  [ "$1" = rate ] && args=(-t"$WRK_THREADS" -c"$RATE_CONNECTIONS" -d"${secs}s" -s "$WORK/delay.lua")
  /usr/bin/time -f "%U %S" -o "$WORK/time" wrk "${args[@]}" http://127.0.0.1:18180/x > "$WORK/wrk.out" 2>&1 || true
  python3 - "$WORK/wrk.out" "$WORK/time" "$secs" >> "$WORK/$1.wrk" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r'(\d+) requests in ([\d.]+)(\w+)', text)
n = int(m.group(1)) if m else 0
secs = float(m.group(2)) * {'s': 1, 'ms': 1e-3, 'm': 60}.get(m.group(3), 1) if m else float(sys.argv[3])
user, system = (float(x) for x in open(sys.argv[2]).read().split()[-2:])
per = lambda s: round(s / n * 1e6, 3) if n else 0
print(round(n / secs), per(user + system), '-', per(user), per(system))
PY
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }
echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1) ${JVM}; $(wrk --version 2>&1 | head -1 | cut -c1-40)"
echo "nginx on 127.0.0.1; ${DURATION}s per run (+ ${WARMUP}s warm-up); $ROUNDS rounds alternating; $CONNECTIONS connections (rate mode:" \
  "loadleak $RATE/s open model, wrk $RATE_CONNECTIONS connections with a ${DELAY_MS} ms delay); loadleak ${EXTRA:-(no flags)};" \
  "wrk -t$WRK_THREADS"
if [[ " $MODES " == *" rate "* ]] && command -v cc >/dev/null; then
  cc -O2 -o "$WORK/paced" src/bench/paced.c || log "paced.c did not compile: no floor for the rate mode"
fi
for mode in $MODES; do
  scenario "$mode"
  for r in $(seq 1 "$ROUNDS"); do
    log "$mode round $r"
    if [ $((r % 2)) -eq 1 ]; then loadleak "$mode"; wrk_run "$mode"; else wrk_run "$mode"; loadleak "$mode"; fi
    [ "$mode" = rate ] && paced_run
  done
  for tool in loadleak wrk paced; do
    [ -s "$WORK/$mode.$tool" ] || continue
    T=$(cut -d' ' -f1 < "$WORK/$mode.$tool" | median); C=$(cut -d' ' -f2 < "$WORK/$mode.$tool" | median)
    U=$(cut -d' ' -f4 < "$WORK/$mode.$tool" | median); S=$(cut -d' ' -f5 < "$WORK/$mode.$tool" | median)
    printf '%-5s %-8s median %7.0f responses/s, %6.2f µs CPU per response (user %.2f, system %.2f)   rounds (resp/s, µs, lag p99 µs): %s\n' \
      "$mode" "$tool" "$T" "$C" "$U" "$S" "$(awk '{printf "%s/%s/%s ", $1, $2, $3}' "$WORK/$mode.$tool")"
    echo "$T $C" > "$WORK/$mode.$tool.m"
  done
  read -r TL CL < "$WORK/$mode.loadleak.m"; read -r TW CW < "$WORK/$mode.wrk.m"
  awk -v m="$mode" -v tl="$TL" -v tw="$TW" -v cl="$CL" -v cw="$CW" \
    'BEGIN {printf "%-5s loadleak ÷ wrk: throughput %.3f ×, CPU per response %.3f ×\n", m, tl / tw, cl / cw}'
  if [ -s "$WORK/$mode.paced.m" ]; then
    read -r TP CP < "$WORK/$mode.paced.m"
    awk -v m="$mode" -v cl="$CL" -v cw="$CW" -v cp="$CP" 'BEGIN {printf "%-5s exact pacing in C (paced.c): CPU per response %.3f × wrk'"'"'s; loadleak %.3f × paced.c'"'"'s\n", m, cp / cw, cl / cp}'
  fi
  paste -d' ' "$WORK/$mode.loadleak" "$WORK/$mode.wrk" | awk -v m="$mode" \
    '{printf "%-5s round %d: throughput %.3f ×, CPU per response %.3f ×\n", m, NR, $1 / $6, $2 / $7}'
  if [ "$BREAKDOWN" = 1 ] && [ -s "$WORK/$mode.breakdown" ]; then
    printf '%-5s loadleak µs per response by thread (medians, perf samples):' "$mode"
    i=1
    for part in "event loop in the kernel" "event loop in user space" "JIT compilers" "main thread" "the rest"; do
      printf ' %s %s;' "$part" "$(cut -d' ' -f$i < "$WORK/$mode.breakdown" | median)"
      i=$((i + 1))
    done
    echo
  fi
done
