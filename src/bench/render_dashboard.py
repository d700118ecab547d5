#!/usr/bin/env python3
"""Renders native/grafana/loadleak-dashboard.json's panels from a real Prometheus: each panel's
queries (with $run set) are evaluated over a time range through the HTTP API, and drawn the way the
dashboard lays them out (gridPos, units, legends; stat panels as values). No Grafana runs here, so
this is the dashboard's data, not Grafana's pixels.
  render_dashboard.py DASHBOARD.json PROMETHEUS_URL RUN START END OUT.html"""
import html
import json
import sys
import urllib.parse
import urllib.request

dash, prom, run, start, end, out = sys.argv[1:7]
start, end = float(start), float(end)
COLORS = ["#73bf69", "#f2cc0c", "#5794f2", "#ff780a", "#b877d9", "#f2495c", "#8ab8ff", "#96d98d"]


def query_range(expr):
    q = urllib.parse.urlencode({"query": expr.replace("$run", run), "start": start, "end": end, "step": 2})
    with urllib.request.urlopen(prom + "/api/v1/query_range?" + q) as r:
        return json.load(r)["data"]["result"]


def fmt(v, unit):
    if unit == "bytes":
        for u in ["B", "KB", "MB", "GB"]:
            if abs(v) < 1024 or u == "GB":
                return "%.1f %s" % (v, u)
            v /= 1024
    if unit == "s":
        return "%.0f ms" % (v * 1000) if v < 1 else "%.2f s" % v
    if unit == "percentunit":
        return "%.2f %%" % (v * 100)
    if unit == "reqps":
        return "%.0f req/s" % v
    return "%.3g" % v


def legend(metric, keep):
    parts = [f"{k}={metric[k]}" for k in keep if k in metric]
    return ", ".join(parts) or metric.get("__name__", "value")


def timeseries(panel, w, h):
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "short")
    lines = []
    for t in panel.get("targets", []):
        for s in query_range(t["expr"]):
            pts = [(float(a), float(b)) for a, b in s["values"] if b not in ("NaN", "+Inf", "-Inf")]
            if pts:
                name = legend(s["metric"], ["request", "kind", "source", "verdict"])
                if "histogram_quantile(" in t["expr"]:
                    name = "p" + t["expr"].split("(")[1].split(",")[0].replace("0.", "").ljust(2, "0") + (
                        " " + name if "request" in s["metric"] else "")
                elif "_low" in t["expr"] or "_high" in t["expr"]:
                    name = ("low " if "_low" in t["expr"] else "high ") + name
                lines.append((name, pts))
    L, R, T, B = 70, 10, 10, 24
    pw, ph = w - L - R, h - T - B
    ys = [y for _, p in lines for _, y in p] or [0, 1]
    lo, hi = min(0, min(ys)), max(ys)
    hi = hi if hi > lo else lo + 1
    sx = lambda x: L + (x - start) / (end - start) * pw
    sy = lambda y: T + ph - (y - lo) / (hi - lo) * ph
    g = [f'<svg width="{w}" height="{h}">']
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        y = sy(v)
        g.append(f'<line x1="{L}" x2="{w-R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#2c3235"/>')
        g.append(f'<text x="{L-6}" y="{y+4:.1f}" text-anchor="end">{html.escape(fmt(v, unit))}</text>')
    for i in range(7):
        x = start + (end - start) * i / 6
        g.append(f'<text x="{sx(x):.1f}" y="{h-6}" text-anchor="middle">{int(x - start)} s</text>')
    for i, (name, pts) in enumerate(lines):
        d = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        g.append(f'<polyline points="{d}" fill="none" stroke="{COLORS[i % len(COLORS)]}" stroke-width="1.6"/>')
    g.append("</svg>")
    leg = "".join(f'<span><i style="background:{COLORS[i % len(COLORS)]}"></i>{html.escape(n)}</span>'
                  for i, (n, _) in enumerate(lines))
    return "".join(g) + f'<div class="legend">{leg or "no data"}</div>'


def query(expr):
    q = urllib.parse.urlencode({"query": expr.replace("$run", run), "time": end})
    with urllib.request.urlopen(prom + "/api/v1/query?" + q) as r:
        return json.load(r)["data"]["result"]


def stat(panel):
    """A stat panel: its queries' values at the end of the run (an instant query)."""
    cells = []
    for t in panel.get("targets", []):
        for s in query(t["expr"]):
            v = s["value"][1]
            name = legend(s["metric"], ["source", "verdict", "criterion", "level"])
            cells.append(f'<div class="stat"><b>{html.escape(v)}</b><small>{html.escape(name)}</small></div>')
    return "".join(cells) or '<div class="legend">no data</div>'


d = json.load(open(dash))
cols, rowh, colw = 24, 30, 58
parts = []
for p in d["panels"]:
    gp = p["gridPos"]
    x, y, w, h = gp["x"] * colw, gp["y"] * rowh, gp["w"] * colw - 8, gp["h"] * rowh - 8
    body = stat(p) if p["type"] == "stat" else timeseries(p, w - 16, h - 70)
    parts.append(f'<div class="panel" style="left:{x}px;top:{y}px;width:{w}px;height:{h}px">'
                 f'<h3>{html.escape(p["title"])}</h3>{body}</div>')
height = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in d["panels"]) * rowh
page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ background:#111217; color:#ccccdc; font:12px system-ui, sans-serif; margin:0; }}
header {{ padding:10px 14px; font-size:15px; }} header small {{ color:#8e8e8e; }}
.grid {{ position:relative; height:{height}px; margin:0 8px; }}
.panel {{ position:absolute; background:#181b1f; border:1px solid #2c3235; border-radius:3px; padding:6px 8px; box-sizing:border-box; overflow:hidden; }}
h3 {{ margin:0 0 4px; font-size:13px; font-weight:500; }} svg text {{ fill:#8e8e8e; font-size:10px; }}
.legend span {{ margin-right:10px; white-space:nowrap; }} .legend i {{ display:inline-block; width:10px; height:3px; margin-right:4px; vertical-align:middle; }}
.stat {{ display:inline-block; margin:6px 14px 0 0; }} .stat b {{ display:block; font-size:26px; color:#73bf69; }} .stat small {{ color:#8e8e8e; }}
</style></head><body><header>{html.escape(d.get("title", "loadleak"))} <small>run={html.escape(run)} · panels of
native/grafana/loadleak-dashboard.json evaluated by a real Prometheus 2.42 (no Grafana here)</small></header>
<div class="grid">{''.join(parts)}</div></body></html>"""
open(out, "w").write(page)
