#!/usr/bin/env bash
# The JVM's first seconds, side by side in one run: loadleak at max rate against nginx on 127.0.0.1
# with each JVM variant, every round paired with wrk -t2 (and -t1 with --event-loops 1) on the same
# target, connections and duration. For each variant: req/s of the 10 s rounds, the requests of
# the first three seconds (from timeline.csv), and a 60 s round. Ratios are to the wrk run of the
# same round; medians over ROUNDS.
#   bash src/bench/jvm-warmup.sh   (ROUNDS=3 CONNECTIONS=50 LONG=60 LOOPS="2 1" VARIANTS="jdk17 t25 t25-aot"
#                                   LONG_VARIANTS=$VARIANTS)
# Variants: native (the native executable, when built), jdk17 (the machine's java), t25 (Temurin 25), t25-aot (Temurin 25 with the AOT cache
# target/quarkus-app/app.aot, built by `./mvnw package -Daot` on JDK 25), t25-NAME:FLAGS and
# t25-aot-NAME:FLAGS for extra JVM flags, comma-separated (e.g. "t25-serial:-XX:+UseSerialGC"); any variant with
# "+pw" appended runs with --prewarm ${PREWARM:-2s} (loadleak warms its own JIT against a local sink first).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-50}
LONG=${LONG:-60}
NATIVE=${NATIVE:-$(ls "$(pwd)"/target/loadleak-*-runner 2>/dev/null | head -1 || true)}
VARIANTS=${VARIANTS:-"jdk17 t25 t25-aot${NATIVE:+ native}"}
LONG_VARIANTS=${LONG_VARIANTS:-$VARIANTS}
LOOPS=${LOOPS:-"2 1"}
T25=${T25:-/usr/lib/jvm/temurin-25-jdk-amd64}
APP=$(pwd)/target/quarkus-app
WORK=$(mktemp -d /tmp/loadleak-warmup.XXXX)
log() { echo "[warmup $(date +%T)] $*" >&2; }
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  log "installing wrk and nginx"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk nginx-light >/dev/null
fi
. src/bench/nginx.sh
start_nginx "$WORK"
trap stop_nginx EXIT
URL=http://127.0.0.1:18180/x

# java command line of a variant
jvm() {
  case $1 in
    jdk17) echo "java" ;;
    t25) echo "$T25/bin/java" ;;
    t25-aot) echo "$T25/bin/java -XX:AOTMode=on -XX:AOTCache=$APP/app.aot" ;;
    t25-aot-*:*) echo "$T25/bin/java -XX:AOTMode=on -XX:AOTCache=$APP/app.aot ${1#*:}" | tr ',' ' ' ;;
    t25-*:*) echo "$T25/bin/java ${1#*:}" | tr ',' ' ' ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
}
scenario() { # seconds
  cat > "$WORK/s.yaml" <<YAML
name: warmup
target: http://127.0.0.1:18180
defaults: {maxConnections: $CONNECTIONS, timeout: 5s}
phases: [{name: p, duration: ${1}s, max: true}]
requests: [{path: /x}]
YAML
}
# run VARIANT LOOPS KEY: one loadleak run; appends "req/s s1 s2 s3" to $WORK/KEY
run() {
  # the AOT cache must be used from the application's directory, with the classpath it was made with
  local cmd v=$1 extra=""
  case $v in *+pw) v=${v%+pw}; extra="--prewarm ${PREWARM:-2s}" ;; esac
  if [ "$v" = native ]; then cmd=$NATIVE; else cmd="$(jvm "$v") -jar quarkus-run.jar"; fi
  (cd "$APP" && $cmd run "$WORK/s.yaml" --out "$WORK/out" -q --event-loops "$2" $extra >/dev/null 2>"$WORK/err") \
    || { log "$1 failed: $(tail -3 "$WORK/err")"; return; }
  python3 - "$WORK/out" >> "$WORK/$3" <<'PY'
import csv, json, sys
r = json.load(open(sys.argv[1] + "/result.json"))
rows = list(csv.DictReader(open(sys.argv[1] + "/timeline.csv")))
first = [int(rows[i]["requests"]) if i < len(rows) else 0 for i in range(3)]
print(r["overall"]["throughputPerSecond"], *first)
PY
}
wrk_run() { wrk -t"$1" -c"$CONNECTIONS" -d"$2s" "$URL" | awk '/Requests\/sec/ {print $2}'; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }
col() { awk -v c="$1" '{print $c}' "$2"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; jdk17: $(java -version 2>&1 | head -1); t25: $($T25/bin/java -version 2>&1 | head -1)"
echo "max rate against nginx, $CONNECTIONS connections; 10 s rounds: median of $ROUNDS; each ratio is to wrk in the same round"
scenario 10
for r in $(seq 1 "$ROUNDS"); do
  for n in $LOOPS; do
    for v in $VARIANTS; do
      k=${v%%:*}
      W=$(wrk_run "$n" 10)
      echo "$W" >> "$WORK/wrk$n.$k"
      run "$v" "$n" "ll$n.$k"
      L=$(tail -1 "$WORK/ll$n.$k" | awk '{print $1}')
      echo "$L $W" | awk '{printf "%.3f\n", $1 / $2}' >> "$WORK/ratio$n.$k"
    done
  done
  log "round $r done"
done
printf "%-34s %9s %9s %13s %24s %12s\n" variant "req/s" "wrk" "x wrk (each)" "first 3 s (requests)" "s1/10s-avg"
for n in $LOOPS; do
  for v in $VARIANTS; do
    k=${v%%:*}
    L=$(col 1 "$WORK/ll$n.$k" | median); W=$(median < "$WORK/wrk$n.$k")
    s1=$(col 2 "$WORK/ll$n.$k" | median); s2=$(col 3 "$WORK/ll$n.$k" | median); s3=$(col 4 "$WORK/ll$n.$k" | median)
    printf "%-34s %9.0f %9.0f %13s %24s %12s\n" "$k (loops $n vs wrk -t$n)" "$L" "$W" "$(paste -sd/ "$WORK/ratio$n.$k")" \
      "$s1 · $s2 · $s3" "$(echo "$s1 $L" | awk '{printf "%.2f", $1 / $2}')"
  done
done
if [ "$LONG" -gt 0 ]; then
  echo "one ${LONG} s round per variant (2 event loops vs wrk -t2):"
  scenario "$LONG"
  for v in $LONG_VARIANTS; do
    W=$(wrk_run 2 "$LONG")
    run "$v" 2 "long.${v%%:*}"
    L=$(tail -1 "$WORK/long.${v%%:*}" | awk '{print $1}')
    printf "  %-20s %9.0f vs wrk %9.0f: %s x\n" "${v%%:*}" "$L" "$W" "$(echo "$L $W" | awk '{printf "%.2f", $1 / $2}')"
  done
fi
