package dev.loadleak.engine;

/** How a flow iteration ended. */
public enum IterationEnd {
    /** Every step was sent and passed. */
    COMPLETED,
    /** A step failed (its expect, an extraction, a transport error, or it could not be sent in time). */
    FAILED,
    /** Cut by the end of the run or of its closed phase, or by a stop; its remaining steps were skipped. */
    ABORTED
}
