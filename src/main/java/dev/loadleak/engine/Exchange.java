package dev.loadleak.engine;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.scenario.RequestSpec;

/**
 * One request in flight: the only per-request object of the hot path. It is linked into the
 * engine's in-flight list in send order, which is deadline order (every request has the same
 * timeout), so timeouts need no timer per request. Its first outcome wins; later ones are ignored.
 */
final class Exchange implements Transport.InFlight {
    final Requests core;
    final int phase;
    final int request;
    final long intended;
    final long sent;
    final long expectedInterval;
    /**
     * When it times out: the timeout after sending, but never after the run's planned end plus
     * the timeout, so that a run ends within its duration plus the timeout whatever the target does.
     */
    final long deadline;
    final PreparedRequest pr;
    /** The virtual user that sent it. */
    final VirtualUser user;
    Exchange prev;
    Exchange next;
    private Object handle;
    private boolean finished;

    Exchange(Requests core, int phase, int request, PreparedRequest pr, long intended, long sent,
             long expectedInterval, long deadline, VirtualUser user) {
        this.user = user;
        this.core = core;
        this.phase = phase;
        this.request = request;
        this.pr = pr;
        this.intended = intended;
        this.sent = sent;
        this.expectedInterval = expectedInterval;
        this.deadline = deadline;
    }

    @Override
    public PreparedRequest request() {
        return pr;
    }

    @Override
    public Object handle() {
        return handle;
    }

    @Override
    public void handle(Object h) {
        handle = h;
    }

    @Override
    public VirtualUser user() {
        return user;
    }

    @Override
    public void response(int status, java.util.List<String> headers, String body) {
        RequestSpec.Expect expect = pr.spec.expect();
        ErrorKind bad = ResponseCheck.status(expect, status);
        int redirects = core.followRedirects();
        String why = null;
        if (bad != null) {
            why = bad == ErrorKind.ASSERTION ? "status " + status + " not in the expected statuses" : "HTTP " + status;
        } else if (redirects > 0 && ClientSettings.isRedirect(status)) {
            bad = ErrorKind.REDIRECTS;
            why = "more than " + redirects + " redirects (HTTP " + status + ")";
        } else if (pr.needsBody() && expect != null) {
            why = ResponseCheck.body(expect, body == null ? "" : body);
            bad = why == null ? null : ErrorKind.ASSERTION;
        }
        if (bad == null) {
            // the answer passed: its cookies are kept and its values extracted, which may still fail the step
            why = core.flows().answered(user, request, status, headers, body);
            bad = why == null ? null : ErrorKind.ASSERTION;
        } else {
            core.flows().storeCookies(user, request, headers);
        }
        core.complete(this, status, bad, why);
    }

    @Override
    public void tooLarge(String why) {
        core.complete(this, 0, ErrorKind.BODY_TOO_LARGE, why);
    }

    @Override
    public void fail(Throwable t) {
        core.complete(this, 0, ErrorClassifier.classify(t), ErrorClassifier.describe(t));
    }

    /** Marks the end of this exchange; false if it had already ended (its first outcome stands). */
    boolean end() {
        if (finished) {
            return false;
        }
        finished = true;
        return true;
    }
}
