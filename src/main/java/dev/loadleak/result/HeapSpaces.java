package dev.loadleak.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which V8 heap space of a Node.js target grows: prom-client's default metrics expose
 * {@code nodejs_heap_space_size_used_bytes{space=…}} beside the heap total, and each space's series
 * gets the same leak analysis (floor under the GC sawtooth, Theil–Sen with its interval, the same
 * three-valued verdict) as a memory source. Growth in old space is long-lived JS objects; in large-
 * object space, big strings, arrays or buffers kept; in code space, code generated again and again
 * ({@code eval}, {@code new Function}).
 *
 * @param spaces the spaces the target has, the fastest-growing first
 */
public record HeapSpaces(List<Space> spaces) {
    public static final String METRIC = "nodejs_heap_space_size_used_bytes";
    /** V8's heap spaces across Node.js versions (map space until Node 18, shared and trusted spaces later). */
    public static final List<String> V8_SPACES = List.of("new_space", "old_space", "code_space", "map_space",
            "shared_space", "trusted_space", "read_only_space", "new_large_object_space", "large_object_space",
            "code_large_object_space", "shared_large_object_space", "trusted_large_object_space");

    /** One space: its leak verdict, slope and interval, and its largest sample. */
    public record Space(String space, LeakFinding verdict, double slopeMBPerHour, double[] ci95MBPerHour, double maxMB) {
    }

    /** "heap spaces: the growth is in old_space (+812.3 MB/h, 95 % CI …); not growing: new_space, …". */
    public List<String> describe() {
        if (spaces.isEmpty()) {
            return List.of();
        }
        List<String> growing = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        for (Space s : spaces) {
            if (LeakFinding.LEAK.equals(s.verdict())) {
                growing.add(String.format(Locale.ROOT, "%s (%+.1f MB/h, 95 %% CI %.1f–%.1f)", s.space(),
                        s.slopeMBPerHour(), s.ci95MBPerHour()[0], s.ci95MBPerHour()[1]));
            } else if (LeakFinding.NO_LEAK.equals(s.verdict())) {
                flat.add(s.space());
            } else {
                undecided.add(s.space());
            }
        }
        StringBuilder b = new StringBuilder("heap spaces: ");
        b.append(growing.isEmpty() ? "no space is established to grow"
                : "the growth is in " + String.join(", ", growing));
        if (!flat.isEmpty()) {
            b.append("; not growing: ").append(String.join(", ", flat));
        }
        if (!undecided.isEmpty()) {
            b.append("; undecided: ").append(String.join(", ", undecided));
        }
        return List.of(b.toString());
    }
}
