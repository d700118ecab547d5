package dev.loadleak.run;

import java.util.List;
import java.util.Locale;

/**
 * Which of Netty's I/O transports the engine's event loops run ({@code --transport}). The lean
 * HTTP/1.1 client's connections live on those loops, so this is the transport of every request.
 */
public enum IoTransport {
    /** The fastest that works here: see {@link #tries()}; each refused one falls back to the next. */
    AUTO,
    /** Linux io_uring (Netty's incubator): refused in many containers, and left out of the native executable. */
    IO_URING,
    /** Linux epoll (Netty's native library). */
    EPOLL,
    /** The JDK's NIO selector: everywhere, and the slowest (its timers have millisecond granularity). */
    NIO;

    /**
     * What this choice tries, in order: one refused falls back to the next. {@link #AUTO} starts with
     * epoll: measured side by side on nginx (docs/performance.md, "Transports"), epoll spent less CPU
     * per response than io_uring.
     */
    List<IoTransport> tries() {
        return switch (this) {
            case AUTO, EPOLL -> List.of(EPOLL, NIO);
            case IO_URING -> List.of(IO_URING, EPOLL, NIO);
            case NIO -> List.of(NIO);
        };
    }

    /** The option's word: auto, io_uring, epoll, nio. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From the option's word, in any case; null for an unknown word. */
    public static IoTransport of(String word) {
        for (IoTransport t : values()) {
            if (t.word().equalsIgnoreCase(word == null ? "" : word.trim())) {
                return t;
            }
        }
        return null;
    }
}
