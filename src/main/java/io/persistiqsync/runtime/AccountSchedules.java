package io.persistiqsync.runtime;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;

import io.persistiqsync.config.SyncSettings;

/**
 * One schedule route per account from the sync-schedule-template (routes/sync-schedule.camel.yaml),
 * each with the account's name and cron: made once the routes are loaded and before they start. The
 * `default` account's route keeps the id it always had (sync-schedule); another's is sync-schedule-NAME.
 */
final class AccountSchedules implements StartupListener {
    static final String TEMPLATE = "sync-schedule-template";
    private final Map<String, SyncSettings> accounts;

    AccountSchedules(Map<String, SyncSettings> accounts) {
        this.accounts = accounts;
    }

    static String routeId(String account) {
        return SyncSettings.DEFAULT_ACCOUNT.equals(account) ? "sync-schedule" : "sync-schedule-" + account;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        // a runtime started without routes (readSettings) has no template
        if (alreadyStarted || context.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                .getRouteTemplateDefinition(TEMPLATE) == null) {
            return;
        }
        accounts.forEach((name, settings) -> TemplatedRouteBuilder.builder(context, TEMPLATE).routeId(routeId(name))
                .parameter("account", name).parameter("cron", settings.cron()).add());
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // made in onCamelContextStarting, so that they start with the others
    }
}
