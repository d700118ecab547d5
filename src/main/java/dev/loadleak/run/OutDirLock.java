package dev.loadleak.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run at a time per output directory: two processes given one {@code --out} would truncate each
 * other's journal and overwrite each other's result. An exclusive lock on {@code .loadleak.lock}
 * there, held for the run and released by the OS if the process dies (the file stays, empty).
 */
final class OutDirLock implements AutoCloseable {
    static final String FILE = ".loadleak.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private OutDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws RunFailure (exit 2) when another run holds the directory, or it cannot be locked
     */
    static OutDirLock acquire(Path dir) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l != null) {
                return new OutDirLock(ch, l);
            }
        } catch (OverlappingFileLockException e) {
            // held by this process: another run in it writes there
        } catch (IOException e) {
            close(ch);
            throw new RunFailure(RunFailure.Kind.BAD_OUTPUT, "cannot lock " + dir + " for this run (" + e.getMessage()
                    + "); choose another --out directory");
        }
        close(ch);
        throw new RunFailure(RunFailure.Kind.BAD_OUTPUT, "another loadleak run is writing to " + dir
                + "; give each run its own --out directory");
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing was locked
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        close(channel);
    }
}
