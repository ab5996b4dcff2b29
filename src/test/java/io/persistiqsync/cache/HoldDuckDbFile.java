package io.persistiqsync.cache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;

/** Another process reading the cache (an analyst, `status`): holds the DuckDB file read-only until told to let go. */
public final class HoldDuckDbFile {
    private HoldDuckDbFile() {
    }

    /** args: the DuckDB file, the file whose appearance means "let go" */
    public static void main(String[] args) throws Exception {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0], readOnly)) {
            System.out.println("held");
            System.out.flush();
            Path release = Path.of(args[1]);
            long giveUp = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(release) && System.nanoTime() < giveUp) Thread.sleep(50);
        }
        System.out.println("released");
    }
}
