package dev.loadleak.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a memory series is: the kind of source sampled ({@code memory.sources[].type}), or a series
 * loadleak derived from one. Written in lower case with dashes ({@code "forced-gc"}).
 */
public enum MemoryKind {
    /** A metric scraped from a Prometheus page. */
    PROMETHEUS,
    /** A number at a JSON pointer of an endpoint's answer. */
    JSON,
    /** A Node.js heap read through the inspector protocol. */
    NODE,
    /** A process's resident set (RSS), read from /proc. */
    PROCESS,
    /** The heap after each collection loadleak made the target do ({@code forceGc}). */
    FORCED_GC,
    /** One V8 heap space of a Prometheus source, named {@code SOURCE/SPACE}. */
    HEAP_SPACE,
    /** A target metric that a criterion names, read from the first Prometheus source's page. */
    TARGET_METRIC;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static MemoryKind of(String word) {
        for (MemoryKind k : values()) {
            if (k.toString().equals(word)) {
                return k;
            }
        }
        throw new IllegalArgumentException("\"" + word + "\" is not a memory kind; one of "
                + Arrays.toString(values()));
    }
}
