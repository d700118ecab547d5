package dev.loadleak.result;

import java.util.List;

/**
 * What grew between two V8 heap snapshots ({@code evidence: heapSnapshot}), by constructor or type,
 * and who holds the new objects of the top groups: the path from the GC roots most of a sample of
 * them share (shortest paths, weak edges left out), as memlab clusters retainer traces. Only type,
 * constructor and property names are shown — never a string's text; a property name that may be
 * data (a session id, a cache key: see {@code HeapDiff.dataLike}) shows as [key], an index as [i].
 *
 * @param source     the memory source
 * @param startFile  the snapshot after the forced collections at the scored load's start
 * @param endFile    the one at its end
 * @param top        the groups that grew most in bytes (at most {@value #TOP})
 * @param retainers  for the top {@value #TRACED} groups, the dominant retainer path of their new objects
 * @param error      why there is no diff, else null
 */
public record HeapGrowth(String source, String startFile, String endFile, long nodesStart, long nodesEnd,
                         long bytesStart, long bytesEnd, List<Group> top, List<Retainers> retainers, String error) {
    public static final int TOP = 20;
    public static final int TRACED = 3;

    /** One constructor or type: objects and self bytes at the start and end. */
    public record Group(String name, long countStart, long countEnd, long bytesStart, long bytesEnd) {
        public long countDelta() {
            return countEnd - countStart;
        }

        public long bytesDelta() {
            return bytesEnd - bytesStart;
        }
    }

    /**
     * The dominant retainer path of a group's new objects.
     *
     * @param sampled how many new objects were traced
     * @param sharing how many of them share the path
     * @param path    the path in one line, e.g. {@code (root) → … → MemoryStore.sessions → Object[key] → (string)}
     * @param onlyBookkeeping of the sample, how many only V8's own roots hold (the string table holds
     *                property keys, such as session ids: the program holds them as keys, not by an edge);
     *                the path is the dominant one among the others
     */
    public record Retainers(String group, long newObjects, int sampled, int sharing, String path, int onlyBookkeeping) {
    }

    public static HeapGrowth failed(String source, String why) {
        return new HeapGrowth(source, null, null, 0, 0, 0, 0, List.of(), List.of(), why);
    }
}
