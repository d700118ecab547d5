package dev.loadleak.cli;

import io.quarkus.runtime.LaunchMode;
import org.eclipse.microprofile.config.ConfigProvider;

/** The port Quarkus' HTTP server really listens on (it publishes the chosen one when asked for 0). */
final class HttpPort {
    private HttpPort() {
    }

    static int actual() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getValue(key, Integer.class);
    }
}
