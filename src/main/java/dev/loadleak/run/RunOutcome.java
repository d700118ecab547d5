package dev.loadleak.run;

import dev.loadleak.result.RunResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run left: its scored result, where it went, and what did not work out.
 *
 * @param result      the scored result (its status says whether the run completed, was interrupted or failed)
 * @param resultFile  where result.json was to be written
 * @param writeFailed some file of the result could not be written (each was named to the listener)
 * @param targetLogs  the logs of targets the run launched
 */
public record RunOutcome(RunResult result, Path resultFile, boolean writeFailed, List<Path> targetLogs) {
}
