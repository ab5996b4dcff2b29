package io.persistiqsync.runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;

import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.sync.SyncSession;
import io.persistiqsync.sync.SyncSessions;

/**
 * One schedule route per account from the sync-schedule-template (routes/sync-schedule.camel.yaml),
 * each with the account's name and cron: made once Camel Main has loaded the routes, before they
 * start, and only where the schedule runs ({@code run}). The `default` account's route keeps the id it
 * always had (sync-schedule); another's is sync-schedule-NAME.
 */
final class AccountSchedules extends MainListenerSupport {
    static final String TEMPLATE = "sync-schedule-template";

    static String routeId(String account) {
        return SyncSettings.DEFAULT_ACCOUNT.equals(account) ? "sync-schedule" : "sync-schedule-" + account;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        SyncSessions sessions = context.getRegistry().lookupByNameAndType(RouteNames.SYNC_SESSIONS, SyncSessions.class);
        // a runtime started without routes (readSettings) has no template
        if (sessions == null || context.getCamelContextExtension().getContextPlugin(Model.class).getRouteTemplateDefinition(TEMPLATE) == null) {
            return;
        }
        // one-shot commands and embedded syncs have no schedule: without its routes Quartz is never
        // started, nor stopped (its scheduler took ~0.6 s of every `sync`'s start and close)
        if (!SyncSettings.scheduleEnabled(context.getPropertiesComponent())) return;
        for (SyncSession session : sessions.all()) {
            String account = session.account().name();
            TemplatedRouteBuilder.builder(context, TEMPLATE).routeId(routeId(account)).parameter("account", account)
                    .parameter("cron", session.settings().cron()).add();
        }
    }
}
