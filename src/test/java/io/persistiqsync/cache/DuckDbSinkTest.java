package io.persistiqsync.cache;

import java.nio.file.Path;
import java.util.Map;

/** The sink contract on DuckDB, the default: a file, loaded through the Appender. */
class DuckDbSinkTest extends SinkContract {

    @Override
    Map<String, String> sinkSettings(Path dir) {
        return Map.of("cache.url", "jdbc:duckdb:" + dir.resolve("cache.duckdb"));
    }

    @Override
    Class<? extends CacheDialect> expectedDialect() {
        return DuckDbDialect.class;
    }

    @Override
    String schema() {
        return "main";
    }
}
