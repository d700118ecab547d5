package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerSettingsTest {
    @Test
    void onlyServingCommandsServe() {
        assertEquals(new ServerSettings(true, "127.0.0.1", 8080), ServerSettings.fromArgs(new String[] {"target"}));
        assertEquals(new ServerSettings(true, "0.0.0.0", 0),
                ServerSettings.fromArgs(new String[] {"target", "--host", "0.0.0.0", "--port", "0", "--leak", "2KB"}));
        assertEquals(new ServerSettings(true, "127.0.0.1", 0), ServerSettings.fromArgs(new String[] {"demo", "--duration", "5s"}));
        assertEquals(false, ServerSettings.fromArgs(new String[] {"run", "x.yaml"}).serves());
        assertEquals(false, ServerSettings.fromArgs(new String[] {"--version"}).serves());
        assertEquals(false, ServerSettings.fromArgs(new String[] {"target", "--help"}).serves());
        assertEquals(false, ServerSettings.fromArgs(new String[] {"target", "--port", "notanumber"}).serves());
        assertEquals(false, ServerSettings.fromArgs(new String[] {}).serves());
    }

    @Test
    void runServesItsDashboardOnlyWhenAsked() {
        assertEquals(false, ServerSettings.fromArgs(new String[] {"run", "x.yaml"}).serves());
        assertEquals(new ServerSettings(true, "127.0.0.1", 0), ServerSettings.fromArgs(new String[] {"run", "--dashboard", "x.yaml"}));
        assertEquals(new ServerSettings(true, "127.0.0.1", 0), ServerSettings.fromArgs(new String[] {"run", "x.yaml", "--dashboard"}));
        assertEquals(new ServerSettings(true, "127.0.0.1", 9000),
                ServerSettings.fromArgs(new String[] {"run", "--dashboard=9000", "x.yaml"}));
        assertEquals(new ServerSettings(true, "127.0.0.1", 9001),
                ServerSettings.fromArgs(new String[] {"run", "--dashboard", "9001", "x.yaml"}));
    }

    @Test
    void serveListensBeyondLoopbackOnlyWithAToken() {
        assertEquals(new ServerSettings(true, "127.0.0.1", 8080), ServerSettings.fromArgs(new String[] {"serve"}));
        assertEquals(new ServerSettings(true, "127.0.0.1", 0),
                ServerSettings.fromArgs(new String[] {"serve", "--port", "0", "--data", "/tmp/d"}));
        // no token: not even for the moment the command takes to refuse (it exits 2)
        assertEquals(false, ServerSettings.fromArgs(new String[] {"serve", "--host", "0.0.0.0"}).serves());
        assertEquals(false, ServerSettings.fromArgs(new String[] {"serve", "--host", "0.0.0.0", "--token-env",
            "LOADLEAK_TEST_SURELY_UNSET_VARIABLE"}).serves());
        String anySetVariable = System.getenv().containsKey("PATH") ? "PATH" : System.getenv().keySet().iterator().next();
        assertEquals(true, ServerSettings.fromArgs(new String[] {"serve", "--host", "0.0.0.0", "--token-env",
            anySetVariable}).serves());
        assertEquals(true, ServeCommand.loopback("::1") && ServeCommand.loopback("localhost")
                && !ServeCommand.loopback("0.0.0.0"));
    }

    @Test
    void aShortTokenIsRefused() {
        LoadleakException e = assertThrows(LoadleakException.class,
                () -> ServeCommand.token("T", java.util.Map.of("T", "hunter2")::get));
        assertEquals(ExitCodes.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("shorter than 16 bytes"), e.getMessage());
        assertEquals("0123456789abcdef", ServeCommand.token("T", java.util.Map.of("T", " 0123456789abcdef ")::get));
    }
}
