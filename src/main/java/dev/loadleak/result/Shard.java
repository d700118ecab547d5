package dev.loadleak.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which part of a run this process drives: shard {@code index} (0-based, like a Kubernetes
 * Indexed Job's {@code JOB_COMPLETION_INDEX}) of {@code count}.
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);
    public static final int MAX_COUNT = 1000;

    public Shard {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("the shard count must be between 1 and " + MAX_COUNT + ", was " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("the shard index must be between 0 and " + (count - 1) + " (0-based), was "
                    + index);
        }
    }

    /** {@code "I/N"}, e.g. {@code 0/3} for the first of three (also how result.json writes a shard). */
    @JsonCreator
    public static Shard parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        if (slash <= 0 || slash == t.length() - 1) {
            throw new IllegalArgumentException("\"" + text + "\" is not a shard; write I/N, e.g. 0/3 for the first of three");
        }
        try {
            return new Shard(Integer.parseInt(t.substring(0, slash).trim()), Integer.parseInt(t.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a shard; write I/N, e.g. 0/3 for the first of three");
        }
    }

    public boolean whole() {
        return count == 1;
    }

    /** Memory is sampled by one shard only (the first), so that N shards do not scrape the target N times. */
    public boolean samplesMemory() {
        return index == 0;
    }

    /** Of {@code total} arrivals numbered 0.., those this shard sends (index ≡ shard index mod count). */
    public long share(long total) {
        return total <= index ? 0 : (total - index + count - 1) / count;
    }

    @JsonValue
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
