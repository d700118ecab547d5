package dev.loadleak.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.run.Journal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run's Server-Sent Events with bounded memory, however long the soak. Memory keeps the last
 * {@link #WINDOW} {@code second} events (ten minutes) and the {@code end} event; a client that
 * connects later first gets the seconds before that window rebuilt from the run's journal on disk
 * (the timeline point and the memory samples of each second, marked {@code "replayed": true}), read
 * line by line and sent outside any lock, then the window, then each new event. Events published
 * meanwhile wait in that client's own queue, so none is lost or sent twice.
 */
final class EventLog {
    /** The {@code second} events memory keeps. */
    static final int WINDOW = 600;

    private final ArrayDeque<ManagedRun.Event> window = new ArrayDeque<>();
    private final List<Follower> followers = new ArrayList<>();
    private ManagedRun.Event end;
    /** Whether seconds have left the window (then a late client's replay starts in the journal). */
    private boolean dropped;

    /** One client: its events in order, queued while its replay is being sent. */
    private static final class Follower {
        final Consumer<ManagedRun.Event> to;
        private ArrayDeque<ManagedRun.Event> queued = new ArrayDeque<>();

        Follower(Consumer<ManagedRun.Event> to) {
            this.to = to;
        }

        synchronized void accept(ManagedRun.Event e) {
            if (queued != null) {
                queued.add(e);
            } else {
                to.accept(e);
            }
        }

        /** The replay has been sent: what came meanwhile, then live. */
        synchronized void live() {
            ArrayDeque<ManagedRun.Event> q = queued;
            queued = null;
            q.forEach(to);
        }
    }

    /** Keeps {@code e} (the oldest second leaves when the window is full) and sends it to every client. */
    void publish(ManagedRun.Event e) {
        List<Follower> now;
        synchronized (this) {
            if (e.name().equals("end")) {
                end = e;
            } else {
                window.add(e);
                while (window.size() > WINDOW) {
                    window.poll();
                    dropped = true;
                }
            }
            now = List.copyOf(followers);
        }
        for (Follower f : now) {
            try {
                f.accept(e);
            } catch (RuntimeException gone) {
                remove(f.to); // the client went away
            }
        }
    }

    /**
     * Sends {@code to} what it missed — from {@code journal} the seconds before the window (none when
     * the file is gone), then the window — and then each new event. False when the run has ended
     * (the end event was sent last).
     */
    boolean subscribe(Consumer<ManagedRun.Event> to, Path dir, long totalSeconds, String pace) {
        Follower f = new Follower(to);
        List<ManagedRun.Event> kept;
        boolean trimmed;
        ManagedRun.Event ended;
        synchronized (this) {
            kept = List.copyOf(window);
            trimmed = dropped;
            ended = end;
            if (ended == null) {
                followers.add(f);
            }
        }
        if (trimmed && !kept.isEmpty()) {
            replayJournal(dir.resolve(Journal.FILE), secondOf(kept.get(0)), totalSeconds, pace, f.to);
        } else if (trimmed && ended != null) {
            replayResult(dir.resolve("result.json"), f.to); // released: every second is in the result
        }
        kept.forEach(f.to);
        if (ended != null) {
            f.to.accept(ended);
            return false;
        }
        f.live();
        return true;
    }

    synchronized void remove(Consumer<ManagedRun.Event> to) {
        followers.removeIf(f -> f.to == to);
    }

    /** After the end: only the end event stays; the seconds are in the run's result.json. */
    synchronized void release() {
        dropped |= !window.isEmpty();
        window.clear();
        followers.clear();
    }

    synchronized int kept() {
        return window.size();
    }

    private static double secondOf(ManagedRun.Event e) {
        try {
            return ManagedRun.JSON.readTree(e.json()).path("point").path("second").asDouble();
        } catch (IOException ex) {
            return 0;
        }
    }

    /** A finished run's timeline from its result.json, read when a client asks, as {@code second} events. */
    static void replayResult(Path result, Consumer<ManagedRun.Event> to) {
        if (!Files.exists(result)) {
            return;
        }
        try {
            JsonNode r = ManagedRun.JSON.readTree(result.toFile());
            long total = Math.round(r.path("durationSeconds").asDouble());
            for (JsonNode p : r.path("timeline")) {
                to.accept(new ManagedRun.Event("second", secondEvent(p, total, "").toString()));
            }
        } catch (IOException e) {
            // unreadable: the end event still says how it ended
        }
    }

    private static ObjectNode secondEvent(JsonNode point, long totalSeconds, String pace) {
        ObjectNode e = ManagedRun.JSON.createObjectNode().put("elapsedSeconds", (long) point.path("second").asDouble() + 1)
                .put("totalSeconds", totalSeconds).put("pace", pace).put("totalErrors", 0).put("replayed", true);
        e.set("point", point);
        e.set("memory", ManagedRun.JSON.createArrayNode());
        return e;
    }

    /** The journal's timeline points before {@code beforeSecond}, as {@code second} events. */
    static void replayJournal(Path journal, double beforeSecond, long totalSeconds, String pace,
                              Consumer<ManagedRun.Event> to) {
        if (journal == null || !Files.exists(journal)) {
            return;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(journal),
                StandardCharsets.UTF_8))) {
            in.readLine(); // the head
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode n;
                try {
                    n = ManagedRun.JSON.readTree(line);
                } catch (IOException cut) {
                    return; // the line being written
                }
                List<JsonNode> points = new ArrayList<>();
                if (n.has("points")) {
                    n.get("points").forEach(points::add);
                } else if (n.has("point")) {
                    points.add(n.get("point"));
                }
                for (JsonNode p : points) {
                    double s = p.path("second").asDouble();
                    if (s >= beforeSecond) {
                        return;
                    }
                    to.accept(new ManagedRun.Event("second", secondEvent(p, totalSeconds, pace).toString()));
                }
            }
        } catch (IOException e) {
            // the journal went meanwhile (the run wrote its result): the window follows
        }
    }
}
