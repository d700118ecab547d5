package dev.loadleak.demoserver;

import java.io.IOException;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** The target's own memory figures for {@code /metrics}. */
public final class OwnMemory {
    private OwnMemory() {
    }

    /** VmRSS from /proc/self/status in bytes, or -1 where there is no procfs. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static long nonHeapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed();
    }

    private static volatile long lastHeapAfterGc = -1;

    static {
        listenForCollections();
    }

    /**
     * Heap in use right after the most recent garbage collection, young or old: the post-GC floor a
     * leak raises, like Micrometer's {@code jvm_gc_live_data_size_bytes} (which only looks at the
     * old generation, so it moves later). Taken from GC notifications where the runtime sends them;
     * otherwise from each heap pool's "collection usage". -1 when the runtime reports neither.
     */
    public static long heapAfterGcBytes() {
        long fromNotifications = lastHeapAfterGc;
        if (nativeImage()) {
            watchCollectionCounts();
            return fromNotifications; // a native image's pools report no usable "collection usage"
        }
        return fromNotifications >= 0 ? fromNotifications : collectionUsage();
    }

    private static Thread watcher;

    /** Asked at run time (not kept in a static field, which a build-time initialization would freeze). */
    static boolean nativeImage() {
        return "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));
    }

    private static void listenForCollections() {
        if (nativeImage()) {
            return; // no notifications there: heapAfterGcBytes starts the count watcher
        }
        try {
            Set<String> heapPools = new HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((n, handback) -> {
                        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            return;
                        }
                        CompositeData cd = (CompositeData) n.getUserData();
                        long sum = 0;
                        for (Map.Entry<String, MemoryUsage> e : GarbageCollectionNotificationInfo.from(cd).getGcInfo()
                                .getMemoryUsageAfterGc().entrySet()) {
                            if (heapPools.contains(e.getKey())) {
                                sum += e.getValue().getUsed();
                            }
                        }
                        lastHeapAfterGc = sum;
                    }, null, null);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // no notifications on this runtime: collection usage is the fallback
        }
    }

    /**
     * A native image sends no GC notifications: a daemon thread polls the collectors' counts every
     * 5 ms and, when one has moved, takes the heap in use then, within a few ms of the collection
     * (a little above the true post-GC figure, by what was allocated in between).
     */
    private static synchronized void watchCollectionCounts() {
        if (watcher != null) {
            return;
        }
        Thread t = new Thread(() -> {
            long seen = -1;
            while (!Thread.currentThread().isInterrupted()) {
                long count = 0;
                for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                    count += Math.max(0, gc.getCollectionCount());
                }
                if (seen >= 0 && count != seen) {
                    lastHeapAfterGc = heapUsedBytes();
                }
                seen = count;
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            }
        }, "gc-watch");
        t.setDaemon(true);
        t.start();
        watcher = t;
    }

    static long collectionUsage() {
        long sum = 0;
        boolean any = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            MemoryUsage after = pool.getCollectionUsage();
            if (after != null) {
                sum += after.getUsed();
                any = true;
            }
        }
        // a figure above the heap's committed size is not a post-GC figure (the native image's
        // pools report one): better no series than a wrong one
        return any && sum <= Runtime.getRuntime().totalMemory() ? sum : -1;
    }
}
