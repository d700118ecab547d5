package dev.loadleak.demoserver;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in target's sessions and their bearer tokens. At most {@link #BOUND} are kept (the
 * oldest go first), unless {@code --session-leak}: then every session stays, so memory grows with
 * each login that does not bring its session cookie back, and stays flat when users keep it.
 */
@ApplicationScoped
public class Sessions {
    static final int BOUND = 1000;

    @Inject
    TargetState state;

    private final Map<String, String> tokenBySession = new LinkedHashMap<>();
    private final Map<String, String> sessionByToken = new LinkedHashMap<>();

    synchronized String create() {
        String sid = AuthResource.random();
        tokenBySession.put(sid, AuthResource.random());
        sessionByToken.put(tokenBySession.get(sid), sid);
        if (!state.knobs().sessionLeak()) {
            while (tokenBySession.size() > BOUND) {
                String oldest = tokenBySession.keySet().iterator().next();
                sessionByToken.remove(tokenBySession.remove(oldest));
            }
        }
        return sid;
    }

    synchronized boolean has(String sid) {
        return tokenBySession.containsKey(sid);
    }

    synchronized String token(String sid) {
        return tokenBySession.get(sid);
    }

    synchronized String sessionOf(String token) {
        return sessionByToken.get(token);
    }

    synchronized int size() {
        return tokenBySession.size();
    }
}
