package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The sink contract on a real PostgreSQL server, started by the build on loopback (no Docker). The
 * user travels in the URL, so the URL (and the schema, to show it is created) is all that changes.
 */
@Tag("integration")
class PostgresSinkTest extends SinkContract {
    private EmbeddedPostgres postgres;

    @Override
    void startSink() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @Override
    void stopSink() throws Exception {
        if (postgres != null) postgres.close();
    }

    @Override
    Map<String, String> sinkSettings(Path dir) {
        return Map.of("cache.url", postgres.getJdbcUrl("postgres", "postgres"), "cache.schema", "piq");
    }

    @Override
    Class<? extends CacheDialect> expectedDialect() {
        return PostgresDialect.class;
    }

    @Override
    String schema() {
        return "piq";
    }

    /** Moving from DuckDB to PostgreSQL takes the URL alone: without cache.schema, tables land in public. */
    @Test
    @Order(100)
    void theUrlIsTheOnlySettingNeeded() throws Exception {
        env.set("cache.schema", "");
        SyncTestSupport.Result result = env.cli("sync", "--streams", "users");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertEquals(2, count("SELECT count(*) FROM \"public\".\"users\""));
    }
}
