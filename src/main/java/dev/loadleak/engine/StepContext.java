package dev.loadleak.engine;

import dev.loadleak.scenario.Template;

/** Who sends a flow step: its extracted values, its cookies, and where its last request went. */
public interface StepContext extends Template.Values {
    /** The {@code Cookie} header for a request to {@code host} and {@code path}, or null. */
    String cookieHeader(String host, String path, boolean secure);

    /** The request-target of the request being sent (cookies' default path). */
    void sent(String requestTarget);
}
