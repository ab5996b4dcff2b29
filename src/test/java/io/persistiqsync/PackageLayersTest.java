package io.persistiqsync;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;

/**
 * The packages depend one way, top to bottom: the entry points (Application for the command line,
 * PersistIqSync for programs that embed it, PersistIqSource for the Kamelet), the command line, the runtime that wires
 * Camel, management (JMX, health, progress), the sync itself, settings, state, the cache and the API
 * at the bottom (routes' names and the simulator stand apart). A dependency the other way fails here.
 */
class PackageLayersTest {
    /** the main classes only, read from where Application was loaded (tests may reach anywhere) */
    private static final JavaClasses MAIN = new ClassFileImporter().importLocations(List.of(Location.of(
            Application.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    void noPackageCycles() {
        slices().matching("io.persistiqsync.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void layersDependDownwardsOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("entry").definedBy("io.persistiqsync")
                .layer("cli").definedBy("io.persistiqsync.cli..")
                .layer("runtime").definedBy("io.persistiqsync.runtime..")
                .layer("management").definedBy("io.persistiqsync.management..")
                .layer("sync").definedBy("io.persistiqsync.sync..")
                .layer("config").definedBy("io.persistiqsync.config..")
                .layer("state").definedBy("io.persistiqsync.state..")
                .layer("cache").definedBy("io.persistiqsync.cache..")
                .layer("api").definedBy("io.persistiqsync.api..")
                .layer("routes").definedBy("io.persistiqsync.routes..")
                .layer("simulator").definedBy("io.persistiqsync.simulator..")
                .whereLayer("entry").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayOnlyBeAccessedByLayers("entry")
                .whereLayer("runtime").mayOnlyBeAccessedByLayers("entry", "cli")
                .whereLayer("management").mayOnlyBeAccessedByLayers("entry", "cli", "runtime")
                .whereLayer("sync").mayOnlyBeAccessedByLayers("entry", "cli", "runtime", "management")
                .whereLayer("config").mayOnlyBeAccessedByLayers("entry", "cli", "runtime", "management", "sync")
                .whereLayer("state").mayOnlyBeAccessedByLayers("entry", "cli", "runtime", "management", "sync")
                .whereLayer("cache").mayOnlyBeAccessedByLayers("entry", "cli", "runtime", "management", "sync", "config", "state")
                .whereLayer("api").mayOnlyBeAccessedByLayers("entry", "cli", "runtime", "management", "sync", "config", "state", "cache")
                .whereLayer("simulator").mayOnlyBeAccessedByLayers("entry", "cli")
                .check(MAIN);
    }
}
