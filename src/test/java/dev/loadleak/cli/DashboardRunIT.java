package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code loadleak run SCENARIO --dashboard} on the packaged app: it prints the dashboard's URL
 * (127.0.0.1, a free port), serves the page and the run's live snapshot while the run goes on,
 * and stops listening when the run ends. The target is a JDK HTTP server on 127.0.0.1.
 */
class DashboardRunIT {
    @Test
    void aCliRunServesItsLiveDashboard() throws Exception {
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("ok".getBytes());
            ex.close();
        });
        target.start();
        try {
            Path dir = Files.createTempDirectory("dash-run");
            Path scenario = dir.resolve("s.yaml");
            Files.writeString(scenario, "name: with-dashboard\ntarget: http://127.0.0.1:" + target.getAddress().getPort()
                    + "\nphases: [{duration: 4s, rate: 20/s}]\nrequests: [{path: /x}]\n");
            Process run = Packaged.process("run", "--dashboard", scenario.toString(), "--out",
                    dir.resolve("out").toString(), "-q").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream()));
            Pattern url = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:(\\d+))/#(\\S+)");
            Matcher m = null;
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                Matcher x = url.matcher(line);
                if (x.find()) {
                    m = x;
                    break;
                }
            }
            assertTrue(m != null, "no dashboard URL printed:\n" + seen);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = m.group(1);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>loadleak</title>"), page.body());
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + m.group(3)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode(), live.body());
            assertTrue(live.body().contains("\"name\":\"with-dashboard\""), live.body());
            String rest = new String(run.getInputStream().readAllBytes());
            assertTrue(run.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, run.exitValue(), seen + rest);
            assertTrue(rest.contains("verdict: GO"), rest);
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2))), 1000);
                throw new AssertionError("the dashboard still listens after the run");
            } catch (java.io.IOException expected) {
                // closed with the process
            }
        } finally {
            target.stop(0);
        }
    }
}
