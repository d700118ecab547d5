package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.Generator;
import dev.loadleak.result.RunStatus;
import org.junit.jupiter.api.Test;

/** The late-send warning names the cause its figures show, in the user's numbers. */
class LateCauseTest {
    private static LoadOutcome outcome(long lateWhileBusy) {
        return new LoadOutcome(RunStatus.COMPLETED, 30, 0, 50, "lean", null, lateWhileBusy, 50);
    }

    @Test
    void busyConnectionsSaturatedCpuOrNeither() {
        Generator idle = new Generator(0, 3, 2, 2, 0.2, "lean");
        Generator saturated = new Generator(0, 58, 2, 2, 0.97, "lean");
        String busy = ResultAssembler.lateCause(112, outcome(100), idle);
        assertTrue(busy.startsWith("100 of them were due while every one of the 50 connections was busy"), busy);
        assertTrue(busy.endsWith("raise maxConnections"), busy);
        String cpu = ResultAssembler.lateCause(112, outcome(3), saturated);
        assertTrue(cpu.startsWith("loadleak's own CPU was saturated (97 % of 2 cores; 3 of the late sends"), cpu);
        String warm = ResultAssembler.lateCause(112, outcome(0), idle);
        assertTrue(warm.contains("most likely the JVM warming up") && warm.contains("add a warm-up phase"), warm);
    }
}
