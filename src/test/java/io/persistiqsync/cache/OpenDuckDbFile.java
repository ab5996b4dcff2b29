package io.persistiqsync.cache;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Run in a separate JVM by {@link DuckDbFileReleasedTest}: opens a DuckDB file read-write, as an
 * analyst's tool would, writes a table of its own, and prints the number of leads.
 */
public final class OpenDuckDbFile {
    private OpenDuckDbFile() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS analyst_notes (note VARCHAR)");
            s.execute("INSERT INTO analyst_notes VALUES ('opened from another process')");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM leads")) {
                rs.next();
                System.out.println("leads=" + rs.getLong(1));
            }
        }
    }
}
