package dev.loadleak.metrics;

/**
 * A target that can be made to collect its garbage, then say what it really keeps: Node.js through
 * its inspector, a JVM through jcmd. Each call costs the target a pause, which is measured.
 */
public interface ForcedGc {
    /**
     * One forced collection.
     *
     * @param usedBytes   the heap in use right after it (live objects only)
     * @param pauseMillis how long the target took to collect, as loadleak saw it (the round trip of
     *                    the command: an upper bound of the target's pause)
     */
    record Reading(double usedBytes, double pauseMillis) {
    }

    /** Forces a full collection and reads the heap in use after it. */
    Reading collect() throws MemoryProbe.ProbeException;

    /** How the collection is forced, for the result ("HeapProfiler.collectGarbage", "jcmd GC.class_histogram"). */
    String how();
}
