package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import org.junit.jupiter.api.Test;

/**
 * A blatant leak is never left INCONCLUSIVE for want of independent points. The RSS of a Socket.IO service keeping
 * 20 KB per connection (NodeRealtimeLeakIT, 40 s, a run on the 2-core machine) rose 118 to 214 MB after warm-up, its
 * 12 floor points strictly increasing and its interval 8,611-13,253 MB/h; their serial correlation left about 4
 * independent points, Mann-Kendall p = 0.016, and the verdict was INCONCLUSIVE. These are that run's samples.
 */
class CorrelatedBlatantEnvelopeTest {
    private static final double[][] SAMPLES = {
        {0.117, 60387328.0},
        {1.086, 70164480.0},
        {2.084, 81686528.0},
        {3.079, 90046464.0},
        {4.079, 101457920.0},
        {5.082, 108126208.0},
        {6.08, 111865856.0},
        {7.079, 116699136.0},
        {8.079, 118173696.0},
        {9.079, 123387904.0},
        {10.08, 125468672.0},
        {11.08, 129593344.0},
        {12.079, 132714496.0},
        {13.079, 136900608.0},
        {14.079, 140578816.0},
        {15.079, 144121856.0},
        {16.083, 146636800.0},
        {17.079, 153972736.0},
        {18.079, 157306880.0},
        {19.079, 160522240.0},
        {20.082, 163856384.0},
        {21.079, 167108608.0},
        {22.079, 170553344.0},
        {23.083, 173809664.0},
        {24.079, 177008640.0},
        {25.079, 180252672.0},
        {26.08, 183623680.0},
        {27.082, 189865984.0},
        {28.079, 193073152.0},
        {29.08, 196304896.0},
        {30.079, 196313088.0},
        {31.08, 196435968.0},
        {32.079, 198811648.0},
        {33.079, 201736192.0},
        {34.08, 204787712.0},
        {35.079, 207802368.0},
        {36.079, 210845696.0},
        {37.079, 213872640.0},
        {38.079, 216883200.0},
        {39.079, 222920704.0},
        {40.082, 225869824.0}};

    @Test
    void aStrictlyRisingFloorOf96MegabytesIn30SecondsIsALeak() {
        double[] t = new double[SAMPLES.length];
        double[] v = new double[SAMPLES.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = SAMPLES[i][0];
            v[i] = SAMPLES[i][1];
        }
        LeakAnalysis a = LeakDetector.analyse(t, v, false, 8, new double[0], LeakDetector.Params.defaults());
        assertEquals(LeakFinding.LEAK, a.verdict(), a.reasons().toString());
        assertTrue(a.ci95MBPerHour()[0] > 5000, a.reasons().toString());
    }
}
