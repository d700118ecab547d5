package dev.loadleak.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small inline-SVG line chart: axes with 1-2-5 "nice" ticks, shaded x ranges whose labels never
 * overlap (they take the next row when they would), lines, dots and bands. The series' values ride
 * along in a {@code data-series} attribute, so that the report's one small inline script
 * ({@link #HOVER_SCRIPT}) can show a read-out of the nearest point on hover. No external files:
 * a report opens offline from a CI artifact.
 */
final class Svg {
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    private final String title;
    private final int width;
    private final int height;
    private double xMin = Double.MAX_VALUE;
    private double xMax = -Double.MAX_VALUE;
    private double yMin = 0;
    private double yMax = -Double.MAX_VALUE;
    private String xLabel = "";
    private String yLabel = "";
    private DoubleFunction<String> xTick = v -> fmt(v);
    private DoubleFunction<String> yTick = v -> fmt(v);
    private double[] xTicks;
    private final List<String> back = new ArrayList<>();
    private final List<Runnable> pending = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    private final List<String[]> legend = new ArrayList<>();
    /** Series for the hover read-out: name, xs, ys. */
    private final List<Object[]> data = new ArrayList<>();
    /** Phase labels: [x0, x1, label], laid out when rendering. */
    private final List<Object[]> labels = new ArrayList<>();
    private String unit = "";

    Svg(String title, int width, int height) {
        this.title = title;
        this.width = width;
        this.height = height;
    }

    Svg xAxis(String label, DoubleFunction<String> tick) {
        xLabel = label;
        xTick = tick;
        return this;
    }

    Svg yAxis(String label, DoubleFunction<String> tick) {
        yLabel = label;
        yTick = tick;
        unit = label;
        return this;
    }

    Svg xTicks(double... ticks) {
        xTicks = ticks;
        return this;
    }

    Svg xRange(double min, double max) {
        xMin = Math.min(xMin, min);
        xMax = Math.max(xMax, max);
        return this;
    }

    Svg yFloor(double min) {
        yMin = min;
        return this;
    }

    private void extend(double[] xs, double[] ys) {
        for (int i = 0; i < xs.length; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                xMin = Math.min(xMin, xs[i]);
                xMax = Math.max(xMax, xs[i]);
                yMax = Math.max(yMax, ys[i]);
                yMin = Math.min(yMin, ys[i]);
            }
        }
    }

    /** A shaded x range with a label at its top (e.g. a phase). */
    Svg shade(double x0, double x1, String label, String color) {
        pending.add(() -> back.add(String.format(Locale.ROOT,
                "<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' opacity='0.35'/>",
                px(x0), TOP, Math.max(1, px(x1) - px(x0)), height - TOP - BOTTOM, color)));
        labels.add(new Object[] {x0, x1, label});
        return this;
    }

    /** Approximate width of a label in the 11 px font (the layout only needs an upper bound). */
    static double textWidth(String s) {
        return 7.4 * s.length() + 4;
    }

    /**
     * Each phase label at the left of its range, on the first row where it does not overlap the
     * labels already placed; after three rows it is shortened until it fits.
     */
    private void layoutLabels() {
        List<double[]> placed = new ArrayList<>(); // x0, x1, row
        for (Object[] l : labels) {
            double x = px((double) l[0]) + 3;
            String text = (String) l[2];
            int row = 0;
            while (row < 3 && overlaps(placed, x, x + textWidth(text), row)) {
                row++;
            }
            if (row == 3) {
                row = 2;
                while (text.length() > 2 && overlaps(placed, x, x + textWidth(text), row)) {
                    text = text.substring(0, text.length() - 2) + "…";
                }
            }
            placed.add(new double[] {x, x + textWidth(text), row});
            back.add(String.format(Locale.ROOT, "<text x='%.1f' y='%d' class='small phase-label'>%s</text>", x,
                    TOP + 11 + 14 * row, Html.esc(text)));
        }
    }

    private static boolean overlaps(List<double[]> placed, double a, double b, int row) {
        for (double[] p : placed) {
            if (p[2] == row && a < p[1] + 4 && p[0] < b + 4) {
                return true;
            }
        }
        return false;
    }

    Svg line(String name, String color, double[] xs, double[] ys, boolean dashed) {
        extend(xs, ys);
        legend.add(new String[] {name, color});
        data.add(new Object[] {name, xs, ys});
        pending.add(() -> {
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isFinite(ys[i])) {
                    continue;
                }
                d.append(d.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f", px(xs[i]), py(ys[i])));
            }
            body.append(String.format("<path d='%s' fill='none' stroke='%s' stroke-width='1.6'%s/>", d, color,
                    dashed ? " stroke-dasharray='5,4'" : ""));
        });
        return this;
    }

    Svg dots(String name, String color, double[] xs, double[] ys) {
        extend(xs, ys);
        legend.add(new String[] {name, color});
        data.add(new Object[] {name, xs, ys});
        pending.add(() -> {
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(ys[i])) {
                    body.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2.6' fill='%s'/>", px(xs[i]),
                            py(ys[i]), color));
                }
            }
        });
        return this;
    }

    /** A filled band between two lines over the same xs (e.g. a confidence interval). */
    Svg band(String name, String color, double[] xs, double[] lo, double[] hi) {
        extend(xs, lo);
        extend(xs, hi);
        legend.add(new String[] {name, color});
        pending.add(() -> {
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < xs.length; i++) {
                d.append(i == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f", px(xs[i]), py(hi[i])));
            }
            for (int i = xs.length - 1; i >= 0; i--) {
                d.append("L").append(String.format(Locale.ROOT, "%.1f,%.1f", px(xs[i]), py(lo[i])));
            }
            body.append(String.format("<path d='%sZ' fill='%s' opacity='0.25' stroke='none'/>", d, color));
        });
        return this;
    }

    private double px(double x) {
        double span = xMax - xMin == 0 ? 1 : xMax - xMin;
        return LEFT + (x - xMin) / span * (width - LEFT - RIGHT);
    }

    private double py(double y) {
        double span = yMax - yMin == 0 ? 1 : yMax - yMin;
        return height - BOTTOM - (y - yMin) / span * (height - TOP - BOTTOM);
    }

    String render() {
        if (xMin == Double.MAX_VALUE) {
            xMin = 0;
            xMax = 1;
        }
        if (yMax <= yMin) {
            yMax = yMin + 1;
        }
        double[] yTicks = niceTicks(yMin, yMax, 5);
        yMin = Math.min(yMin, yTicks[0]);
        yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
        for (Runnable r : pending) {
            r.run();
        }
        layoutLabels();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' width='%d' "
                + "height='%d' role='img' aria-label='%s' class='chart' data-x0='%s' data-x1='%s' data-left='%d' "
                + "data-right='%d' data-unit='%s' data-series='%s'>", width, height, width, height, Html.esc(title),
                xMin, xMax, LEFT, width - RIGHT, Html.esc(unit), Html.esc(seriesJson())));
        s.append(String.format("<text x='%d' y='16' class='title'>%s</text>", LEFT, Html.esc(title)));
        back.forEach(s::append);
        for (double v : yTicks) {
            double y = py(v);
            s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' class='grid'/>", LEFT,
                    width - RIGHT, y, y));
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' class='tick' text-anchor='end'>%s</text>",
                    LEFT - 4, y + 4, Html.esc(yTick.apply(v))));
        }
        double[] ticks = xTicks != null ? xTicks : niceTicksWithin(xMin, xMax, 6);
        for (double t : ticks) {
            double x = px(t);
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' class='tick' text-anchor='middle'>%s</text>", x,
                    height - BOTTOM + 14, Html.esc(xTick.apply(t))));
        }
        s.append(String.format("<line x1='%d' x2='%d' y1='%d' y2='%d' class='axis'/>", LEFT, width - RIGHT,
                height - BOTTOM, height - BOTTOM));
        s.append(String.format("<line x1='%d' x2='%d' y1='%d' y2='%d' class='axis'/>", LEFT, LEFT, TOP, height - BOTTOM));
        s.append(String.format("<text x='%d' y='%d' class='tick' text-anchor='middle'>%s</text>",
                (LEFT + width - RIGHT) / 2, height - 6, Html.esc(xLabel)));
        s.append(String.format("<text x='12' y='%d' class='tick' transform='rotate(-90 12 %d)' text-anchor='middle'>%s</text>",
                (TOP + height - BOTTOM) / 2, (TOP + height - BOTTOM) / 2, Html.esc(yLabel)));
        s.append(body);
        int lx = width - RIGHT - 8;
        for (int i = legend.size() - 1; i >= 0; i--) {
            String[] l = legend.get(i);
            int w = 14 + 7 * l[0].length();
            lx -= w + 10;
            s.append(String.format("<rect x='%d' y='8' width='10' height='10' fill='%s'/><text x='%d' y='17' class='small'>%s</text>",
                    lx, l[1], lx + 14, Html.esc(l[0])));
        }
        s.append("</svg>");
        return s.toString();
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e15) {
            return String.format(Locale.ROOT, "%.0f", v); // a nice tick: 0, 5, 250
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The series as JSON for the hover read-out: [{"n": name, "x": [...], "y": [...]}], numbers to 4 digits. */
    private String seriesJson() {
        StringBuilder j = new StringBuilder("[");
        for (Object[] d : data) {
            if (j.length() > 1) {
                j.append(',');
            }
            j.append("{\"n\":\"").append(((String) d[0]).replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\",\"x\":").append(numbers((double[]) d[1])).append(",\"y\":")
                    .append(numbers((double[]) d[2])).append('}');
        }
        return j.append(']').toString();
    }

    private static String numbers(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(Double.isFinite(v[i]) ? String.format(Locale.ROOT, "%.4g", v[i]) : "null");
        }
        return b.append(']').toString();
    }

    /** The 1-2-5 step that gives at most about {@code count} intervals over {@code span}. */
    static double niceStep(double span, int count) {
        double raw = span / Math.max(1, count);
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Ticks at multiples of a nice step covering [lo, hi] (the axis extends to the outer ticks). */
    static double[] niceTicks(double lo, double hi, int count) {
        double step = niceStep(hi - lo, count);
        double first = Math.floor(lo / step + 1e-9) * step;
        double last = Math.ceil(hi / step - 1e-9) * step;
        int n = (int) Math.round((last - first) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.round((first + i * step) / step) * step;
        }
        return t;
    }

    /** Ticks at multiples of a nice step inside [lo, hi] (the x axis keeps its exact range). */
    static double[] niceTicksWithin(double lo, double hi, int count) {
        double step = niceStep(hi - lo, count);
        double first = Math.ceil(lo / step - 1e-9) * step;
        List<Double> t = new ArrayList<>();
        for (double v = first; v <= hi + 1e-9 * step; v += step) {
            t.add(Math.round(v / step) * step);
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The report's one inline script: a read-out of the nearest point of every series of a chart
     * under the pointer, in a tooltip ({@code #tip}), with a guide line. No network, no library.
     */
    static final String HOVER_SCRIPT = "(function(){var tip=document.getElementById('tip');"
            + "function near(xs,x){var lo=0,hi=xs.length-1;while(hi-lo>1){var m=(lo+hi)>>1;if(xs[m]<x)lo=m;else hi=m;}"
            + "return Math.abs(xs[lo]-x)<=Math.abs(xs[hi]-x)?lo:hi;}"
            + "function fmt(v){return v===null?'-':Math.abs(v)>=100?v.toFixed(0):Math.abs(v)>=10?v.toFixed(1):v.toFixed(2);}"
            + "document.querySelectorAll('svg.chart').forEach(function(svg){var series=JSON.parse(svg.dataset.series||'[]');"
            + "if(!series.length)return;var x0=+svg.dataset.x0,x1=+svg.dataset.x1,l=+svg.dataset.left,r=+svg.dataset.right;"
            + "var vb=svg.viewBox.baseVal;var guide=document.createElementNS('http://www.w3.org/2000/svg','line');"
            + "guide.setAttribute('class','guide');guide.setAttribute('y1','28');guide.setAttribute('y2',String(vb.height-40));"
            + "guide.style.display='none';svg.appendChild(guide);"
            + "svg.addEventListener('mousemove',function(e){var b=svg.getBoundingClientRect();var vx=(e.clientX-b.left)*vb.width/b.width;"
            + "if(vx<l||vx>r){tip.hidden=true;guide.style.display='none';return;}var x=x0+(vx-l)/(r-l)*(x1-x0);"
            + "var rows=[];series.forEach(function(s){if(!s.x.length)return;var i=near(s.x,x);rows.push(s.n+': '+fmt(s.y[i])+' '+svg.dataset.unit+' at '+fmt(s.x[i]));});"
            + "tip.textContent=rows.join('\\n');tip.hidden=false;tip.style.left=(e.pageX+12)+'px';tip.style.top=(e.pageY+12)+'px';"
            + "guide.setAttribute('x1',String(vx));guide.setAttribute('x2',String(vx));guide.style.display='';});"
            + "svg.addEventListener('mouseleave',function(){tip.hidden=true;guide.style.display='none';});});})();";
}
