package dev.loadleak.engine;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.scenario.RequestSpec;

/**
 * One request in flight. It is linked into the engine's in-flight list in send order, which is
 * deadline order (every request has the same timeout), so timeouts need no timer per request. Its
 * first outcome wins; later ones are ignored. It is reused for a later request only once nothing
 * can call it back any more: when the transport says so ({@link #released()}) after the outcome it
 * delivered, so a steady run allocates none per request.
 */
final class Exchange implements Transport.InFlight {
    final Requests core;
    int phase;
    int request;
    long intended;
    long sent;
    long expectedInterval;
    /**
     * When it times out: the timeout after sending, but never after the run's planned end plus
     * the timeout, so that a run ends within its duration plus the timeout whatever the target does.
     */
    long deadline;
    PreparedRequest pr;
    /** The virtual user that sent it. */
    VirtualUser user;
    /** Its neighbours in the in-flight list; {@code next} links the free list while it waits for reuse. */
    Exchange prev;
    Exchange next;
    private Object handle;
    private boolean finished;

    Exchange(Requests core) {
        this.core = core;
    }

    /** Makes this (new or reused) exchange the request {@code request} of {@code user}, sent at {@code sent}. */
    Exchange set(int phase, int request, PreparedRequest pr, long intended, long sent, long expectedInterval,
                 long deadline, VirtualUser user) {
        this.user = user;
        this.phase = phase;
        this.request = request;
        this.pr = pr;
        this.intended = intended;
        this.sent = sent;
        this.expectedInterval = expectedInterval;
        this.deadline = deadline;
        this.handle = null;
        this.finished = false;
        return this;
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

    @Override
    public void released() {
        if (finished && pr != null) { // ended, and not released already (a spare one has no request)
            core.reuse(this);
        }
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
