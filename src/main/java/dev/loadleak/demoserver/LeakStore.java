package dev.loadleak.demoserver;

import java.util.ArrayList;
import java.util.List;

/**
 * Memory the target really retains on purpose (the {@code --leak} knob): each API request adds one
 * array of the configured size that is never released, so the post-GC heap rises by about
 * bytes-per-request × requests. The arrays are filled so that no page is left untouched.
 */
public final class LeakStore {
    private final List<byte[]> retained = new ArrayList<>();
    private long bytes;

    public synchronized void retain(int size) {
        if (size <= 0) {
            return;
        }
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) 0x5a);
        retained.add(b);
        bytes += size;
    }

    public synchronized long retainedBytes() {
        return bytes;
    }

    public synchronized int count() {
        return retained.size();
    }
}
