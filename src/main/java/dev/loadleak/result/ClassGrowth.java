package dev.loadleak.result;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What grew in a JVM target's heap between two class histograms (the start and the end of the
 * scored load): the top classes by byte growth and by instance growth.
 *
 * @param source        the memory source (process) whose pid was read
 * @param pid           the JVM's process id
 * @param fromSecond    when the first histogram was taken, seconds into the run
 * @param toSecond      when the second was
 * @param byBytes       the top classes by growth in bytes
 * @param byInstances   the top classes by growth in instances
 * @param error         why there is no diff (jcmd failed), else null
 */
public record ClassGrowth(String source, long pid, double fromSecond, double toSecond, List<Row> byBytes,
                          List<Row> byInstances, String error) {
    public static final int TOP = 20;

    /** One class: how its instances and bytes changed, and what it holds at the end. */
    public record Row(String className, long instancesDelta, long bytesDelta, long instances, long bytes) {
    }

    /** The diff of two histograms (class → {instances, bytes}). */
    public static ClassGrowth of(String source, long pid, double from, double to, Map<String, long[]> before,
                                 Map<String, long[]> after) {
        List<Row> rows = new ArrayList<>();
        after.forEach((c, v) -> {
            long[] b = before.getOrDefault(c, new long[2]);
            rows.add(new Row(c, v[0] - b[0], v[1] - b[1], v[0], v[1]));
        });
        List<Row> bytes = rows.stream().filter(r -> r.bytesDelta() > 0)
                .sorted(Comparator.comparingLong(Row::bytesDelta).reversed()).limit(TOP).toList();
        List<Row> instances = rows.stream().filter(r -> r.instancesDelta() > 0)
                .sorted(Comparator.comparingLong(Row::instancesDelta).reversed()).limit(TOP).toList();
        return new ClassGrowth(source, pid, from, to, bytes, instances, null);
    }

    public static ClassGrowth failed(String source, long pid, String why) {
        return new ClassGrowth(source, pid, 0, 0, List.of(), List.of(), why);
    }
}
