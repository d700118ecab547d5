# Sourced by the benchmark scripts: nginx serving a small JSON on 127.0.0.1:18180, stopped on exit.
#   start_nginx WORKDIR
start_nginx() {
  local work=$1
  mkdir -p "$work/ngx/logs"
  cat > "$work/ngx/nginx.conf" <<NGX
worker_processes 1;
pid $work/ngx/nginx.pid;
error_log $work/ngx/logs/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:18180; location / { default_type application/json; return 200 '{"id":1,"title":"Media 1","type":"video"}'; } } }
NGX
  nginx -c "$work/ngx/nginx.conf" -p "$work/ngx"
  NGINX_WORK=$work
}
stop_nginx() {
  [ -n "${NGINX_WORK:-}" ] && nginx -s stop -c "$NGINX_WORK/ngx/nginx.conf" -p "$NGINX_WORK/ngx" 2>/dev/null || true
}
# The one GET (what wrk sends) that the benchmarks load nginx with, at max rate or RATE/s, optionally
# after a warm-up phase of WARMUP_S seconds at the same load (measured, not scored):
#   bench_scenario NAME CONNECTIONS PIPELINING DURATION_S RATE_OR_EMPTY [WARMUP_S] > FILE
bench_scenario() {
  local load="max: true" warm=""
  [ -z "$5" ] || load="rate: $5/s"
  [ "${6:-0}" = 0 ] || warm="{name: w, duration: ${6}s, $load, warmup: true}, "
  printf 'name: %s\ntarget: http://127.0.0.1:18180\ndefaults: {maxConnections: %s, pipelining: %s, timeout: 5s}\nphases: [%s{name: p, duration: %ss, %s}]\nrequests: [{name: r, path: /x}]\n' \
    "$1" "$2" "$3" "$warm" "$4" "$load"
}
