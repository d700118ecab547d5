package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress bar, ETA, plain lines off a terminal, and when colour is used. */
class TerminalTest {
    @Test
    void barShowsShareAndTimeLeft() {
        assertEquals("[#######-------------]  35% ETA 0:13", Terminal.bar(7, 20, false));
        assertEquals("[--------------------]   0% ETA 1:00:00", Terminal.bar(0, 3600, false));
        assertEquals("[####################] 100% ETA 0:00", Terminal.bar(30, 30, false));
        assertTrue(Terminal.bar(5, 10, true).contains("\u001b[32m##########\u001b[0m"));
    }

    @Test
    void interactiveRewritesTheLinePlainPrintsOnePerSecond() {
        StringWriter tty = new StringWriter();
        Terminal t = new Terminal(new PrintWriter(tty), true);
        t.progress(1, 4, "one");
        t.progress(2, 4, "two");
        t.endProgress();
        assertTrue(tty.toString().startsWith("\r\u001b[2K["), tty.toString());
        assertTrue(tty.toString().contains("ETA 0:02 two"), tty.toString());
        StringWriter pipe = new StringWriter();
        Terminal p = new Terminal(new PrintWriter(pipe), false);
        p.progress(1, 4, "one");
        p.progress(2, 4, "two");
        assertEquals("one" + System.lineSeparator() + "two" + System.lineSeparator(), pipe.toString());
    }

    @Test
    void colourOnlyOnATerminalAndNotWhenRefused() {
        String summary = "requests: 10\nverdict: NO-GO (score 0) — x\n";
        Terminal.colorAllowed = true;
        assertTrue(new Terminal(new PrintWriter(new StringWriter()), true).colorVerdict(summary)
                .contains("verdict: \u001b[1;31mNO-GO\u001b[0m (score 0)"));
        assertEquals(summary, new Terminal(new PrintWriter(new StringWriter()), false).colorVerdict(summary));
        assertFalse(Cli.colorAllowed(new String[] {"run", "--no-color"}, null));
        assertFalse(Cli.colorAllowed(new String[] {"run"}, "1"));
        assertTrue(Cli.colorAllowed(new String[] {"run"}, ""));
        Terminal.colorAllowed = false;
        assertEquals(summary, new Terminal(new PrintWriter(new StringWriter()), true).colorVerdict(summary));
        Terminal.colorAllowed = true;
    }
}
