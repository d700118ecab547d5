package dev.loadleak.run;

import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.Scenario;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a run adds to its validated scenario while it runs, the scenario itself never changed: the values its
 * {@code setup:} steps extracted (by slot, read-only for every user; null before setup ran), and the secrets among
 * them and among teardown's, which every output of the run hides.
 */
record RunContext(String[] shared, Set<String> secrets) {
    static final RunContext NONE = new RunContext(null, Set.of());

    RunContext {
        shared = shared == null ? null : shared.clone();
        secrets = Collections.unmodifiableSet(new LinkedHashSet<>(secrets));
    }

    /** A copy: a record hands out no array it keeps. */
    @Override
    public String[] shared() {
        return shared == null ? null : shared.clone();
    }

    /** With what setup extracted, and the secrets among it. */
    RunContext withSetup(String[] values, Set<String> more) {
        return new RunContext(values, union(more));
    }

    /** With more secrets (teardown's). */
    RunContext withSecrets(Set<String> more) {
        return new RunContext(shared, union(more));
    }

    /** Hides the scenario's secrets and the run's. */
    Redactor redactor(Scenario s) {
        Set<String> all = new LinkedHashSet<>(s.secrets());
        all.addAll(secrets);
        return new Redactor(all);
    }

    private Set<String> union(Set<String> more) {
        Set<String> all = new LinkedHashSet<>(secrets);
        all.addAll(more);
        return all;
    }
}
