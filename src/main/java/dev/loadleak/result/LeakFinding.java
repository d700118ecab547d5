package dev.loadleak.result;

/**
 * What a memory series says about a leak, at the analysis' threshold θ: its JSON word is its name.
 */
public enum LeakFinding {
    /** Growth above θ is established, and goes on. */
    LEAK,
    /** Growth above θ is ruled out. */
    NO_LEAK,
    /** Neither: the reasons say why, and how long a run would decide. */
    INCONCLUSIVE
}
