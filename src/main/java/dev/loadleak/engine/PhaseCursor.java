package dev.loadleak.engine;

import dev.loadleak.engine.load.LoadModel;
import dev.loadleak.engine.load.PhasePlan;
import java.util.List;

/**
 * Which phase of a stripe runs, and its load model: each phase's model starts users until it has nothing more to
 * start, then the next phase's model takes over. Called on the stripe's thread.
 */
final class PhaseCursor {
    private final LoadModel.Core core;
    private final List<PhasePlan> phases;
    private final long runStart;
    private int index;
    private LoadModel model;

    PhaseCursor(LoadModel.Core core, List<PhasePlan> phases, long runStart) {
        this.core = core;
        this.phases = phases;
        this.runStart = runStart;
        this.model = LoadModel.of(core, 0, phases.get(0), runStart);
    }

    /** Lets the phase under way start what is due at {@code now}, moving on as phases end; true once all have. */
    boolean dispatch(long now) {
        while (!core.stopping() && index < phases.size() && model.dispatch(now)) {
            model.retire();
            index++;
            if (index < phases.size()) {
                model = LoadModel.of(core, index, phases.get(index), runStart);
            }
        }
        return index >= phases.size();
    }

    /** The run ended or failed: the phase under way starts nothing more. */
    void retire() {
        model.retire();
    }
}
