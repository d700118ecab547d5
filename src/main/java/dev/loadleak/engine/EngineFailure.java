package dev.loadleak.engine;

/** The engine could not go on (its transport could not be made, or a bug threw on its event loop). */
public final class EngineFailure extends RuntimeException {
    public EngineFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
