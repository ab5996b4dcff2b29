package io.persistiqsync.cache;

import java.nio.file.Path;
import java.util.Map;

/**
 * The sink contract on H2 through the generic JDBC sink, in H2's standard mode: unquoted names fold
 * to upper case there, as in Oracle or DB2, which keeps the generic SQL honest.
 *
 * <p>DB_CLOSE_DELAY=-1 keeps the database open between syncs: H2 2.3.232 trips one of its own
 * asserts when it compacts the file on close with assertions on (as surefire runs tests), and that
 * failed close loses the last transactions. Without -ea (any real run) closing is fine.
 */
class H2SinkTest extends SinkContract {

    @Override
    Map<String, String> sinkSettings(Path dir) {
        return Map.of("cache.url", "jdbc:h2:file:" + dir.resolve("cache").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    }

    @Override
    Class<? extends CacheDialect> expectedDialect() {
        return GenericJdbcDialect.class;
    }

    @Override
    String schema() {
        return "PUBLIC";
    }
}
