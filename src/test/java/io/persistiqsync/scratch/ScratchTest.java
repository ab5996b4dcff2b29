package io.persistiqsync.scratch;

import org.junit.jupiter.api.Test;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.simulator.SimulatorSettings;

class ScratchTest {
    @Test
    void routes() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(15).campaigns(2))) {
            try (SyncRuntime runtime = env.start()) {
                runtime.context().getRoutes().forEach(r -> System.err.println("ROUTE " + r.getId() + " " + runtime.context().getRouteController().getRouteStatus(r.getId())));
            } catch (Throwable t) { t.printStackTrace(); }
        }
    }
}
