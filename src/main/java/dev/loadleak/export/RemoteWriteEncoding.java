package dev.loadleak.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of a Prometheus remote-write 1.0 request: a {@code prometheus.WriteRequest} in
 * protobuf, compressed with Snappy's block format. Both by hand, because what is needed is small:
 * four messages of two or three fields (WriteRequest{1: TimeSeries*}, TimeSeries{1: Label*,
 * 2: Sample*}, Label{1: name, 2: value}, Sample{1: double, 2: int64 ms}), and a Snappy block made
 * of literals only — valid Snappy that every decoder reads, at the size of the input. (Pulling in
 * protobuf-java and a Snappy library with native code for this would weigh more than it carries,
 * and a native library is one more thing for the native image.)
 */
public final class RemoteWriteEncoding {
    private RemoteWriteEncoding() {
    }

    /** One series: its labels (with {@code __name__}), and its samples as [value, epoch ms] pairs. */
    public record Series(Map<String, String> labels, List<double[]> samples) {
        /** Labels sorted by name, as remote write requires. */
        public Series {
            labels = new TreeMap<>(labels);
        }
    }

    /** The protobuf WriteRequest of {@code series}. */
    public static byte[] writeRequest(List<Series> series) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Series s : series) {
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            for (Map.Entry<String, String> l : s.labels().entrySet()) {
                ByteArrayOutputStream label = new ByteArrayOutputStream();
                string(label, 1, l.getKey());
                string(label, 2, l.getValue());
                message(ts, 1, label.toByteArray());
            }
            for (double[] sample : s.samples()) {
                ByteArrayOutputStream sm = new ByteArrayOutputStream();
                tag(sm, 1, 1); // fixed64: the double
                long bits = Double.doubleToRawLongBits(sample[0]);
                for (int i = 0; i < 8; i++) {
                    sm.write((int) (bits >>> (8 * i)) & 0xff);
                }
                tag(sm, 2, 0); // varint: the timestamp
                varint(sm, (long) sample[1]);
                message(ts, 2, sm.toByteArray());
            }
            message(out, 1, ts.toByteArray());
        }
        return out.toByteArray();
    }

    /** {@code data} as a Snappy block: its length as a varint, then literals of at most 64 KiB. */
    public static byte[] snappy(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 60000 * 3 + 16);
        varint(out, data.length);
        for (int at = 0; at < data.length; at += 65536) {
            int n = Math.min(65536, data.length - at);
            int m = n - 1;
            if (m < 60) {
                out.write(m << 2);
            } else if (m < 256) {
                out.write(60 << 2);
                out.write(m);
            } else {
                out.write(61 << 2);
                out.write(m & 0xff);
                out.write(m >>> 8);
            }
            out.write(data, at, n);
        }
        return out.toByteArray();
    }

    private static void tag(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, (long) field << 3 | wireType);
    }

    private static void string(ByteArrayOutputStream out, int field, String value) {
        message(out, field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void message(ByteArrayOutputStream out, int field, byte[] body) {
        tag(out, field, 2);
        varint(out, body.length);
        out.write(body, 0, body.length);
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
