package dev.loadleak.result;

/** The answer to "is it ready?". */
public enum Verdict {
    /** Every criterion passed. */
    GO,
    /** Every required criterion passed; some target criteria did not. */
    CONDITIONAL_GO,
    /** A required criterion failed, or nothing succeeded. */
    NO_GO;

    public String display() {
        return name().replace('_', ' ').replace("NO GO", "NO-GO");
    }
}
