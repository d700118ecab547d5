package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A target's words reach the terminal without the sequences that would drive it. */
class PrintableTest {
    @Test
    void escapeSequencesAndBidiOverridesBecomeQuestionMarks() {
        // ESC [2J clears the screen, OSC 0 retitles the window, CSI (C1 0x9b) moves the cursor, U+202E reverses text
        String hostile = "ok\u001b[2J\u001b]0;owned\u0007 \u009b1A \u202eevil\r\n";
        assertEquals("ok?[2J?]0;owned? ?1A ?evil?\n", Printable.clean(hostile));
        assertEquals("ok?[2J?]0;owned? ?1A ?evil", Printable.excerpt(hostile, 200));
        String plain = "line one\n\tline two";
        assertSame(plain, Printable.clean(plain), "nothing to clean: the same string");
    }

    @Test
    void anExcerptIsOneLineCut() {
        assertEquals("a b c…", Printable.excerpt("  a\n\n b \t c d e ", 5));
    }
}
