package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.cookies.CookieJar;
import dev.loadleak.engine.load.LoadModel;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * What one virtual user costs (JOL, the objects it alone holds): its fixed state stays under
 * 1 KB, and its cookies and values add only their own size; 100,000 users then need about 10 MB.
 */
class FlowFootprintTest {
    @Test
    void aUserIsUnderOneKilobytePlusItsCookiesAndValues() {
        FlowDriver driver = null;
        LoadModel.Owner owner = new LoadModel.Owner() {
            @Override
            public boolean retired() {
                return false;
            }

            @Override
            public long expectedInterval(LoadModel.User u) {
                return 0;
            }

            @Override
            public void iterationEnded(LoadModel.User u, long now) {
            }

            @Override
            public void completed(long sentNanos, long now) {
            }
        };
        VirtualUser bare = new VirtualUser(driver, owner);
        bare.sentPath = "/api/v1/media";
        long fixed = GraphLayout.parseInstance(bare).totalSize()
                - GraphLayout.parseInstance(bare.sentPath).totalSize();
        assertTrue(fixed <= 1024, "a user's own state is " + fixed + " B");

        VirtualUser loaded = new VirtualUser(driver, owner);
        String token = "eyJhbGciOiJIUzI1NiJ9.payload.signature-0123456789";
        String csrf = "0123456789abcdef0123456789abcdef";
        loaded.put(0, token, 3);
        loaded.put(1, csrf, 3);
        loaded.jar = new CookieJar();
        loaded.jar.store("sid=" + csrf + "; Path=/; HttpOnly", "127.0.0.1", "/", 0);
        long total = GraphLayout.parseInstance(loaded).totalSize();
        long values = GraphLayout.parseInstance(token).totalSize() + GraphLayout.parseInstance(csrf).totalSize();
        long overhead = total - values;
        // the jar's entry holds the cookie's own name, value, domain and path strings
        assertTrue(overhead <= 1024 + 512, "a user with 2 values and 1 cookie holds " + total + " B, " + overhead
                + " B besides the values' strings");
        System.out.printf("virtual user: %d B bare; %d B with 2 values and 1 cookie (of which %d B the values)%n",
                fixed, total, values);
    }
}
