package dev.loadleak.engine.vertx;

import dev.loadleak.engine.ClientSettings;
import dev.loadleak.engine.Clock;
import dev.loadleak.engine.ErrorClassifier;
import dev.loadleak.engine.PreparedRequest;
import dev.loadleak.engine.ResponseCheck;
import dev.loadleak.engine.StepContext;
import dev.loadleak.engine.cookies.CookieJar;
import dev.loadleak.engine.cookies.Extractor;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.scenario.Flow;
import dev.loadleak.scenario.Printable;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a scenario's {@code setup:} or {@code teardown:} steps once, in order, as one user with
 * its own cookie jar: rendered like the engine's flow steps ({@link PreparedRequest}), on Vert.x's
 * HttpClient, checked against each step's {@code expect}, values extracted into {@code shared}.
 * Blocking: call it off the event loops. Nothing it reports holds a secret.
 */
public final class OnceSteps {
    /** How one step went; {@code error} is null when it passed. */
    public record StepOutcome(String name, String method, String path, int status, double millis, String error) {
    }

    /**
     * @param failure   the first failed step, with its status and a redacted excerpt of its body; null when all passed
     * @param secrets   the secret values extracted (to redact from every output)
     */
    public record Result(List<StepOutcome> steps, String failure, Set<String> secrets) {
    }

    private OnceSteps() {
    }

    /**
     * Runs {@code steps}; {@code shared} (by slot) receives what they extract and gives what earlier
     * setup extracted. With {@code stopAtFailure} the steps after a failed one are not sent. An error a step
     * reports hides the scenario's secrets, {@code hidden} (the secrets earlier steps extracted), and its own.
     */
    public static Result run(Vertx vertx, Scenario s, List<Flow.Step> steps, String[] shared, Set<String> hidden,
                             String stage, boolean stopAtFailure) {
        return run(vertx, Clock.SYSTEM, s, steps, shared, hidden, stage, stopAtFailure);
    }

    /** As above, timed (and cookies aged) by {@code clock}. */
    public static Result run(Vertx vertx, Clock clock, Scenario s, List<Flow.Step> steps, String[] shared,
                             Set<String> hidden, String stage, boolean stopAtFailure) {
        List<StepOutcome> out = new ArrayList<>();
        Set<String> secrets = new LinkedHashSet<>();
        if (steps.isEmpty()) {
            return new Result(out, null, secrets);
        }
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, s.defaults().timeoutNanos() / 1_000_000));
        HttpClient client = vertx.createHttpClient(ClientSettings.options(s.defaults(), timeoutMillis),
                ClientSettings.pool(1));
        Context ctx = new Context(shared, clock);
        String failure = null;
        try {
            for (int i = 0; i < steps.size(); i++) {
                Flow.Step step = steps.get(i);
                Extractor extractor = new Extractor(step.extract());
                PreparedRequest pr = new PreparedRequest(step.request(), s.target(), s.defaults().headers(),
                        s.defaults().timeoutNanos(), s.defaults().followRedirects() > 0, true, true, false);
                long start = clock.nanoTime();
                String error;
                int status = 0;
                try {
                    SplittableRandom random = new SplittableRandom(s.hashCode() + i);
                    RequestOptions o = pr.options(i, random, ctx).setTimeout(timeoutMillis);
                    Buffer body = pr.body(i, random, ctx);
                    // the body kept up to defaults.maxBody: past it the stream is reset, not read on
                    Answer a = client.request(o).compose(req -> (body == null ? req.send() : req.send(body))
                                    .compose(resp -> VertxTransport.boundedBody(resp, s.defaults().maxBody())
                                            .onFailure(e -> req.reset(0))
                                            .map(b -> new Answer(resp.statusCode(), headers(resp.headers()), b.toString()))))
                            .toCompletionStage().toCompletableFuture().get(timeoutMillis + 1000L, TimeUnit.MILLISECONDS);
                    status = a.status;
                    error = check(step, extractor, a, ctx, pr, secrets, shared);
                } catch (ExecutionException e) {
                    error = ErrorClassifier.describe(e.getCause());
                } catch (TimeoutException e) {
                    error = "no answer within " + timeoutMillis + " ms";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "interrupted";
                }
                error = redacted(error, s, hidden, secrets, ctx);
                out.add(new StepOutcome(step.name(), step.request().method(), step.request().url().source(), status,
                        (clock.nanoTime() - start) / 1e6, error));
                if (error != null && failure == null) {
                    failure = stage + " step " + step.name() + " (" + step.request().method() + " "
                            + step.request().url().source() + ") failed: " + error;
                    if (stopAtFailure) {
                        break;
                    }
                }
            }
        } finally {
            client.close();
        }
        return new Result(out, failure, secrets);
    }

    /** An error without the scenario's secrets, the values extracted so far or the cookies in the jar (null stays null). */
    private static String redacted(String error, Scenario s, Set<String> hidden, Set<String> secrets, Context ctx) {
        if (error == null) {
            return null;
        }
        Set<String> hide = new LinkedHashSet<>(s.secrets());
        hide.addAll(hidden);
        hide.addAll(secrets);
        hide.addAll(ctx.jar.values());
        return new Redactor(hide).redact(error);
    }

    private record Answer(int status, List<String> headers, String body) {
    }

    private static List<String> headers(io.vertx.core.MultiMap m) {
        List<String> h = new ArrayList<>();
        for (Map.Entry<String, String> e : m) {
            h.add(e.getKey());
            h.add(e.getValue());
        }
        return h;
    }

    /** Checks the answer; keeps its cookies and extracts its values. Returns why it failed, or null. */
    private static String check(Flow.Step step, Extractor extractor, Answer a, Context ctx, PreparedRequest pr,
                                Set<String> secrets, String[] shared) {
        for (int i = 0; i + 1 < a.headers.size(); i += 2) {
            if (a.headers.get(i).equalsIgnoreCase("set-cookie")) {
                ctx.jar.store(a.headers.get(i + 1), pr.cookieHost(), ctx.sentPath, ctx.clock.nanoTime());
            }
        }
        ErrorKind bad = ResponseCheck.status(step.request().expect(), a.status);
        String why = bad == null ? null : "HTTP " + a.status
                + (bad == ErrorKind.ASSERTION ? ", not an expected status" : "");
        if (why == null && step.request().expect() != null && step.request().expect().needsBody()) {
            why = ResponseCheck.body(step.request().expect(), a.body);
        }
        if (why == null) {
            why = extractor.extract(a.status, a.headers, a.body, (e, v) -> {
                shared[e.slot()] = v;
                if (e.secret() && !v.isEmpty()) {
                    secrets.add(v);
                }
            });
        }
        if (why != null && a.body != null && !a.body.isBlank()) {
            why += "; body: " + Printable.excerpt(a.body, 200);
        }
        return why;
    }

    /** The one user of setup or teardown: the shared values, and its own cookie jar. */
    private static final class Context implements StepContext {
        final String[] shared;
        final Clock clock;
        final CookieJar jar = new CookieJar();
        String sentPath = "/";

        Context(String[] shared, Clock clock) {
            this.shared = shared;
            this.clock = clock;
        }

        @Override
        public String value(int slot) {
            return shared[slot];
        }

        @Override
        public String cookieHeader(String host, String path, boolean secure) {
            return jar.header(host, path, secure, clock.nanoTime());
        }

        @Override
        public void sent(String requestTarget) {
            sentPath = requestTarget;
        }
    }
}
