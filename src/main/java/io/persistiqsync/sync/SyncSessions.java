package io.persistiqsync.sync;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.MDC;

import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.routes.RouteNames;

/**
 * Every account's session, each its own cache, settings, pacer and one-sync-at-a-time guard: syncs of
 * different accounts run side by side, two of one account never. sync-all opens the session of the
 * account its exchange names ({@value RouteNames#ACCOUNT} header; none: the first configured account).
 */
public class SyncSessions {
    static final String MDC_ACCOUNT = "account";
    private final Map<String, SyncSession> sessions = new LinkedHashMap<>();

    public SyncSessions(List<SyncSession> sessions) {
        sessions.forEach(s -> this.sessions.put(s.account().name(), s));
    }

    /** The session of the account, failing with one line naming the known ones. */
    public SyncSession get(String account) {
        if (account == null || account.isEmpty()) return first();
        SyncSession session = sessions.get(account);
        if (session == null) {
            throw new IllegalArgumentException("unknown account '" + account + "': persistiq.accounts lists " + String.join(", ", names()));
        }
        return session;
    }

    public SyncSession first() {
        return sessions.values().iterator().next();
    }

    public List<String> names() {
        return List.copyOf(sessions.keySet());
    }

    public List<SyncSession> all() {
        return List.copyOf(sessions.values());
    }

    /** Opens the named account's session (see {@link SyncSession#open}). */
    public List<StreamDefinition> open(@Body Object body, @Header(RouteNames.ACCOUNT) String account, Exchange exchange) throws SQLException {
        SyncSession session = get(account);
        // the sync's log lines name their account where there are several (log4j2.properties: %X{account}); a
        // sync runs on one thread from open to close
        if (sessions.size() > 1) MDC.put(MDC_ACCOUNT, session.account().name());
        return session.open(body, exchange);
    }

    /** Closes the session sync-all opened (a skipped report when none was). */
    public SyncReport close(Exchange exchange) throws SQLException {
        SyncSession session = exchange.getProperty(RouteNames.SESSION, SyncSession.class);
        try {
            return session == null ? SyncReport.skippedReport(null) : session.close(exchange);
        } finally {
            MDC.remove(MDC_ACCOUNT);
        }
    }
}
