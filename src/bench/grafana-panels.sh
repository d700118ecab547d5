#!/usr/bin/env bash
# The Grafana dashboard (native/grafana/loadleak-dashboard.json) on a live run, without Grafana (none
# can be installed here): a real Prometheus 2.42 takes a 60 s run's remote-write pushes (the built-in
# target as its own JVM, leaking 2 KB per create), each panel's queries are evaluated over the run
# through Prometheus's HTTP API and drawn as the dashboard lays them out (src/bench/render_dashboard.py),
# and headless Chromium takes the screenshot: docs/grafana-panels.png. Everything on 127.0.0.1.
#   bash src/bench/grafana-panels.sh     (DURATION=60)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-60}
WORK=$(mktemp -d /tmp/loadleak-grafana.XXXX)
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
PROM_PORT=19390
TARGET_PORT=18182
printf 'global: {scrape_interval: 1h}\n' > "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address=127.0.0.1:$PROM_PORT --web.enable-remote-write-receiver > "$WORK/prometheus.log" 2>&1 &
PROM=$!
java -XX:+UseSerialGC -Xmn8m -jar "$JAR" target --port $TARGET_PORT --leak 2KB --leak-route "POST /api/v1/media" \
  > "$WORK/target.log" 2>&1 &
TARGET=$!
trap 'kill $PROM $TARGET 2>/dev/null || true; rm -rf "$WORK"' EXIT
for i in $(seq 1 100); do curl -sf http://127.0.0.1:$TARGET_PORT/health >/dev/null && curl -sf \
  http://127.0.0.1:$PROM_PORT/-/ready >/dev/null && break; sleep 0.2; done
cat > "$WORK/run.yaml" <<YAML
name: grafana-demo
target: http://127.0.0.1:$TARGET_PORT
phases:
  - {name: warmup, duration: 5s, rate: 100/s, warmup: true}
  - {name: steady, duration: ${DURATION}s, rate: 200/s}
requests:
  - {name: list-media, path: /api/v1/media, query: {page: "\${random:1..25}", limit: 20}, weight: 6}
  - {name: get-media, path: "/api/v1/media/\${random:1..500}", weight: 3}
  - {name: create-media, method: POST, path: /api/v1/media, body: {title: "grafana \${seq}"}, weight: 1}
memory:
  interval: 500ms
  leakThreshold: 50MB/h
  sources:
    - {name: heap-after-gc, type: prometheus, url: /metrics, metric: jvm_gc_live_data_size_bytes}
criteria:
  required: [p95 < 100ms, error_rate < 1%]
  target: [memory_growth < 50MB/h]
YAML
START=$(date +%s)
java -jar "$JAR" run "$WORK/run.yaml" --out "$WORK/out" --output prometheus-rw=http://127.0.0.1:$PROM_PORT/api/v1/write \
  --output-interval 2s -q | tail -4 || true
END=$(date +%s)
sleep 1
python3 src/bench/render_dashboard.py native/grafana/loadleak-dashboard.json http://127.0.0.1:$PROM_PORT out "$START" "$END" \
  "$WORK/panels.html"
mkdir -p docs
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1420,1470 \
  --screenshot="$PWD/docs/grafana-panels.png" "file://$WORK/panels.html" > "$WORK/chromium.log" 2>&1
echo "docs/grafana-panels.png"
