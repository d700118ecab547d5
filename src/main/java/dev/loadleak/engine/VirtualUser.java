package dev.loadleak.engine;

import dev.loadleak.engine.cookies.CookieJar;
import dev.loadleak.engine.load.LoadModel;

/**
 * One virtual user of a flow: which step it is at, when that step is due, its extracted values and
 * its cookie jar. About 80 bytes plus its values and cookies, allocated lazily; it waits in the
 * {@link FlowDriver}'s heap while it thinks or while every connection is busy (no timer object
 * per pause). Touched only on its engine stripe's thread.
 */
final class VirtualUser implements StepContext, LoadModel.User {
    final FlowDriver driver;
    /** The load model that runs it (it decides what happens when an iteration ends). */
    LoadModel.Owner owner;
    int flow;
    int step;
    /** The phase its current iteration started in: its counts and iteration durations go there. */
    int phase;
    /** When the current iteration was due (its duration and first step's latency count from there). */
    long iterationStart;
    /** When the current iteration's first step left, or {@link Long#MIN_VALUE} before that. */
    long firstSent = Long.MIN_VALUE;
    /** When its next step is due: the heap's key. */
    long due;
    int heapIndex = -1;
    /** A step of the current iteration failed. */
    boolean failed;
    /** The request-target of its last send (cookies' default path). */
    String sentPath;
    /** Values its steps extracted, by slot; null until the first. */
    String[] values;
    /** Null until the first cookie, and when its flow turns cookies off. */
    CookieJar jar;
    /** Its WebSocket or Socket.IO connection ({@code ws:}/{@code socketio:} steps), or null. */
    RealtimeSession realtime;
    /** The next spare user while this one waits for reuse ({@link FlowDriver}'s open-model arrivals). */
    VirtualUser spareNext;

    VirtualUser(FlowDriver driver, LoadModel.Owner owner) {
        this.driver = driver;
        this.owner = owner;
    }

    @Override
    public int step() {
        return step;
    }

    @Override
    public String value(int slot) {
        String v = values == null ? null : values[slot];
        return v != null ? v : driver.shared(slot);
    }

    void put(int slot, String value, int slots) {
        if (values == null) {
            values = new String[slots];
        }
        values[slot] = value;
    }

    @Override
    public String cookieHeader(String host, String path, boolean secure) {
        return jar == null ? null : jar.header(host, path, secure, driver.now());
    }

    @Override
    public void sent(String requestTarget) {
        sentPath = requestTarget;
    }

    /** A fresh start: no values, no cookies (open-model iterations, {@code resetEachIteration}). */
    void reset() {
        values = null;
        jar = null;
    }

    /** {@code text} with this user's extracted secrets and cookie values blanked out. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (values != null) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null && !values[i].isEmpty() && driver.secret(i)) {
                    out = out.replace(values[i], "***");
                }
            }
        }
        if (jar != null) {
            for (String v : jar.values()) {
                out = out.replace(v, "***");
            }
        }
        return out;
    }
}
