package dev.loadleak.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of an OTLP/HTTP metrics export ({@code POST /v1/metrics}, {@code application/x-protobuf}):
 * an {@code opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest} written by hand,
 * like the remote-write body, from the same series. A {@code NAME_total} series becomes a cumulative
 * monotonic Sum named {@code NAME} (a Prometheus receiver adds {@code _total} back); the
 * {@code _bucket}/{@code _count}/{@code _sum} series of a classic histogram become one cumulative
 * Histogram with explicit bounds; every other series is a Gauge. The exporter's own labels (job, run,
 * scenario and the user's) are the resource's attributes — {@code job} as {@code service.name} — and
 * the rest are each point's.
 *
 * <p>Fields written (opentelemetry-proto 1.x): ExportMetricsServiceRequest{1: ResourceMetrics*};
 * ResourceMetrics{1: Resource, 2: ScopeMetrics*}; Resource{1: KeyValue*}; ScopeMetrics{1: scope,
 * 2: Metric*}; InstrumentationScope{1: name, 2: version}; Metric{1: name, 3: unit, 5: Gauge, 7: Sum,
 * 9: Histogram}; Gauge{1: NumberDataPoint*}; Sum{1: points, 2: temporality, 3: is_monotonic};
 * Histogram{1: HistogramDataPoint*, 2: temporality}; NumberDataPoint{7: attributes, 2: start ns,
 * 3: time ns, 4: as_double}; HistogramDataPoint{9: attributes, 2, 3, 4: count, 5: sum,
 * 6: bucket_counts (packed fixed64), 7: explicit_bounds (packed double)}; KeyValue{1: key,
 * 2: AnyValue{1: string_value}}.
 */
public final class OtlpEncoding {
    private static final int CUMULATIVE = 2;

    private OtlpEncoding() {
    }

    /**
     * @param series   the run's series at one time (from the exporter), each with one sample
     * @param resource the labels every series carries: the resource's attributes
     * @param startMs  when the run began: the start of every cumulative point
     */
    public static byte[] exportRequest(List<RemoteWriteEncoding.Series> series, Map<String, String> resource,
                                       long startMs, String version) {
        Map<String, List<RemoteWriteEncoding.Series>> byName = new LinkedHashMap<>();
        for (RemoteWriteEncoding.Series s : series) {
            byName.computeIfAbsent(s.labels().get("__name__"), k -> new ArrayList<>()).add(s);
        }
        ByteArrayOutputStream scope = new ByteArrayOutputStream();
        ByteArrayOutputStream scopeId = new ByteArrayOutputStream();
        string(scopeId, 1, "loadleak");
        string(scopeId, 2, version);
        message(scope, 1, scopeId.toByteArray());
        for (Map.Entry<String, List<RemoteWriteEncoding.Series>> e : byName.entrySet()) {
            String name = e.getKey();
            if (name.endsWith("_bucket") || name.endsWith("_count") && byName.containsKey(base(name) + "_bucket")
                    || name.endsWith("_sum") && byName.containsKey(base(name) + "_bucket")) {
                if (name.endsWith("_bucket")) {
                    message(scope, 2, histogram(base(name), e.getValue(), byName, resource, startMs));
                }
                continue;
            }
            message(scope, 2, number(name, e.getValue(), resource, startMs));
        }
        ByteArrayOutputStream res = new ByteArrayOutputStream();
        for (Map.Entry<String, String> a : new TreeMap<>(resource).entrySet()) {
            message(res, 1, keyValue(a.getKey().equals("job") ? "service.name" : a.getKey(), a.getValue()));
        }
        ByteArrayOutputStream rm = new ByteArrayOutputStream();
        message(rm, 1, res.toByteArray());
        message(rm, 2, scope.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message(out, 1, rm.toByteArray());
        return out.toByteArray();
    }

    private static String base(String name) {
        return name.substring(0, name.lastIndexOf('_'));
    }

    /** A Sum (for {@code _total}) or a Gauge of {@code series}. */
    private static byte[] number(String name, List<RemoteWriteEncoding.Series> series, Map<String, String> resource,
                                 long startMs) {
        boolean counter = name.endsWith("_total");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (RemoteWriteEncoding.Series s : series) {
            double[] sample = s.samples().get(s.samples().size() - 1);
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            attributes(p, 7, s.labels(), resource);
            fixed64(p, 2, startMs * 1_000_000L);
            fixed64(p, 3, (long) sample[1] * 1_000_000L);
            fixed64(p, 4, Double.doubleToRawLongBits(sample[0]));
            message(data, 1, p.toByteArray());
        }
        if (counter) {
            tag(data, 2, 0);
            RemoteWriteEncoding.varint(data, CUMULATIVE);
            tag(data, 3, 0);
            RemoteWriteEncoding.varint(data, 1);
        }
        ByteArrayOutputStream metric = new ByteArrayOutputStream();
        string(metric, 1, counter ? name.substring(0, name.length() - "_total".length()) : name);
        String unit = unit(name);
        if (!unit.isEmpty()) {
            string(metric, 3, unit);
        }
        message(metric, counter ? 7 : 5, data.toByteArray());
        return metric.toByteArray();
    }

    /** One Histogram from a classic histogram's cumulative buckets, count and sum, a point per label set. */
    private static byte[] histogram(String base, List<RemoteWriteEncoding.Series> buckets,
                                    Map<String, List<RemoteWriteEncoding.Series>> byName, Map<String, String> resource,
                                    long startMs) {
        Map<Map<String, String>, TreeMap<Double, Double>> points = new LinkedHashMap<>();
        Map<Map<String, String>, Long> times = new LinkedHashMap<>();
        for (RemoteWriteEncoding.Series s : buckets) {
            Map<String, String> key = pointLabels(s.labels(), resource);
            String le = s.labels().get("le");
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            double[] sample = s.samples().get(s.samples().size() - 1);
            points.computeIfAbsent(key, k -> new TreeMap<>()).put(bound, sample[0]);
            times.put(key, (long) sample[1]);
        }
        Map<Map<String, String>, Double> sums = lastValues(byName.get(base + "_sum"), resource);
        Map<Map<String, String>, Double> counts = lastValues(byName.get(base + "_count"), resource);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<Map<String, String>, TreeMap<Double, Double>> e : points.entrySet()) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            attributes(p, 9, e.getKey(), Map.of());
            fixed64(p, 2, startMs * 1_000_000L);
            fixed64(p, 3, times.get(e.getKey()) * 1_000_000L);
            double total = counts.getOrDefault(e.getKey(), e.getValue().getOrDefault(Double.POSITIVE_INFINITY, 0.0));
            fixed64(p, 4, Math.round(total));
            fixed64(p, 5, Double.doubleToRawLongBits(sums.getOrDefault(e.getKey(), 0.0)));
            ByteArrayOutputStream counted = new ByteArrayOutputStream();
            ByteArrayOutputStream bounds = new ByteArrayOutputStream();
            double below = 0;
            for (Map.Entry<Double, Double> b : e.getValue().entrySet()) {
                if (b.getKey().isInfinite()) {
                    continue;
                }
                raw64(counted, Math.round(b.getValue() - below));
                raw64(bounds, Double.doubleToRawLongBits(b.getKey()));
                below = b.getValue();
            }
            raw64(counted, Math.round(total - below)); // the last bucket: above the highest bound
            message(p, 6, counted.toByteArray());
            message(p, 7, bounds.toByteArray());
            message(data, 1, p.toByteArray());
        }
        tag(data, 2, 0);
        RemoteWriteEncoding.varint(data, CUMULATIVE);
        ByteArrayOutputStream metric = new ByteArrayOutputStream();
        string(metric, 1, base);
        string(metric, 3, unit(base));
        message(metric, 9, data.toByteArray());
        return metric.toByteArray();
    }

    private static Map<Map<String, String>, Double> lastValues(List<RemoteWriteEncoding.Series> series,
                                                               Map<String, String> resource) {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        if (series != null) {
            for (RemoteWriteEncoding.Series s : series) {
                out.put(pointLabels(s.labels(), resource), s.samples().get(s.samples().size() - 1)[0]);
            }
        }
        return out;
    }

    /** A series' own labels: without its name, its bucket bound, and what the resource already says. */
    private static Map<String, String> pointLabels(Map<String, String> labels, Map<String, String> resource) {
        Map<String, String> out = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (!k.equals("__name__") && !k.equals("le") && !resource.containsKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static void attributes(ByteArrayOutputStream p, int field, Map<String, String> labels,
                                   Map<String, String> resource) {
        for (Map.Entry<String, String> l : pointLabels(labels, resource).entrySet()) {
            message(p, field, keyValue(l.getKey(), l.getValue()));
        }
    }

    private static String unit(String name) {
        return name.contains("_seconds") ? "s" : name.contains("_bytes") ? "By" : name.contains("mb_per_hour")
                ? "MBy/h" : name.endsWith("_per_second") ? "1/s" : "";
    }

    private static byte[] keyValue(String key, String value) {
        ByteArrayOutputStream kv = new ByteArrayOutputStream();
        string(kv, 1, key);
        ByteArrayOutputStream any = new ByteArrayOutputStream();
        string(any, 1, value);
        message(kv, 2, any.toByteArray());
        return kv.toByteArray();
    }

    private static void tag(ByteArrayOutputStream out, int field, int wireType) {
        RemoteWriteEncoding.varint(out, (long) field << 3 | wireType);
    }

    private static void fixed64(ByteArrayOutputStream out, int field, long v) {
        tag(out, field, 1);
        raw64(out, v);
    }

    private static void raw64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private static void string(ByteArrayOutputStream out, int field, String value) {
        message(out, field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void message(ByteArrayOutputStream out, int field, byte[] body) {
        tag(out, field, 2);
        RemoteWriteEncoding.varint(out, body.length);
        out.write(body, 0, body.length);
    }
}
