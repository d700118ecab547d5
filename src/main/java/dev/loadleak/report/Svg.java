package dev.loadleak.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small inline-SVG line chart: axes with ticks, shaded x ranges, lines, dots and bands. No
 * scripts, no external files, so a report opens offline from a CI artifact.
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
                "<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' opacity='0.35'/>"
                        + "<text x='%.1f' y='%d' class='small'>%s</text>",
                px(x0), TOP, Math.max(1, px(x1) - px(x0)), height - TOP - BOTTOM, color, px(x0) + 3, TOP + 11,
                Html.esc(label))));
        return this;
    }

    Svg line(String name, String color, double[] xs, double[] ys, boolean dashed) {
        extend(xs, ys);
        legend.add(new String[] {name, color});
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
        pending.add(() -> {
            for (int i = 0; i < xs.length; i++) {
                body.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2.6' fill='%s'/>", px(xs[i]),
                        py(ys[i]), color));
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
        yMax = niceCeil(yMax);
        for (Runnable r : pending) {
            r.run();
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' width='%d' height='%d' "
                + "role='img' aria-label='%s'>", width, height, width, height, Html.esc(title)));
        s.append(String.format("<text x='%d' y='16' class='title'>%s</text>", LEFT, Html.esc(title)));
        back.forEach(s::append);
        for (int i = 0; i <= 4; i++) {
            double v = yMin + (yMax - yMin) * i / 4;
            double y = py(v);
            s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' class='grid'/>", LEFT,
                    width - RIGHT, y, y));
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' class='tick' text-anchor='end'>%s</text>",
                    LEFT - 4, y + 4, Html.esc(yTick.apply(v))));
        }
        double[] ticks = xTicks != null ? xTicks : new double[] {xMin, xMin + (xMax - xMin) / 4, xMin + (xMax - xMin) / 2,
            xMin + 3 * (xMax - xMin) / 4, xMax};
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

    static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
