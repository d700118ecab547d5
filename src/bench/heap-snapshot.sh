#!/usr/bin/env bash
# The streaming heap snapshot parser (`loadleak heap-diff`, the same code as `evidence: heapSnapshot`)
# on large snapshots of a real Node.js process: time and peak RSS against the snapshots' size and
# their node and edge arrays. Node writes the snapshots (a Map of OBJECTS small objects by the end,
# half of them at the start); each size is diffed once, and a pair of tiny snapshots gives the JVM's
# own baseline RSS. Needs node and a packaged loadleak (built if missing).
#   bash src/bench/heap-snapshot.sh            (SIZES="200000 1000000 2000000")
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${SIZES:-"200000 1000000 2000000"}
WORK=$(mktemp -d /tmp/loadleak-heap.XXXX)
JAR=target/quarkus-app/quarkus-run.jar
trap 'rm -rf "$WORK"' EXIT
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 3; }
cat > "$WORK/gen.js" <<'JS'
const v8 = require('v8');
const n = Number(process.argv[2]);
const dir = process.argv[3];
const keep = new Map();
function add(k) {
  for (let i = 0; i < k; i++) {
    const id = keep.size;
    keep.set('k' + id, { id, name: 'item ' + id, tags: [id, id + 1] });
  }
}
add(n / 2);
v8.writeHeapSnapshot(dir + '/start.heapsnapshot');
add(n / 2);
v8.writeHeapSnapshot(dir + '/end.heapsnapshot');
JS
counts() { # FILE -> "nodes edges" from the snapshot's head
  python3 -c "import re,sys;h=open(sys.argv[1],'rb').read(65536).decode('utf-8','replace');print(re.search(r'\"node_count\":(\d+)',h).group(1),re.search(r'\"edge_count\":(\d+)',h).group(1))" "$1"
}
printf '%-10s %12s %12s %12s %14s %10s %14s %12s\n' objects "end file MB" "end nodes" "end edges" "arrays MB" seconds "peak RSS MB" "RSS/arrays"
run() { # OBJECTS
  mkdir -p "$WORK/$1"
  node --max-old-space-size=8192 "$WORK/gen.js" "$1" "$WORK/$1"
  read -r nodes edges < <(counts "$WORK/$1/end.heapsnapshot")
  # the end snapshot's nodes (7 ints each) and edges (3 ints each), as int arrays
  arrays=$(( (nodes * 7 + edges * 3) * 4 ))
  /usr/bin/time -f "%e %M" -o "$WORK/time" java -jar "$JAR" heap-diff "$WORK/$1/start.heapsnapshot" \
    "$WORK/$1/end.heapsnapshot" > "$WORK/$1/diff.txt"
  read -r secs rsskb < "$WORK/time"
  python3 -c "import sys;o,f,n,e,a,s,r=sys.argv[1:];a=int(a);r=int(r)*1024;print('%-10s %12.0f %12s %12s %14.0f %10s %14.0f %12.2f'%(o,int(f)/1e6,n,e,a/1e6,s,r/1e6,r/a))" \
    "$1" "$(stat -c %s "$WORK/$1/end.heapsnapshot")" "$nodes" "$edges" "$arrays" "$secs" "$rsskb"
  head -4 "$WORK/$1/diff.txt" | sed 's/^/    /'
  rm -f "$WORK/$1"/*.heapsnapshot
}
run 2000 # the JVM's own baseline
for n in $SIZES; do run "$n"; done
