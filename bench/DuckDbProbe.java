import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Evidence for the suggestions in BENCHMARKS.md: the product's DuckDB write pattern, without the
 * product, as the tables grow. Per batch of 1,000 leads (the product's 10 pages per commit) it times
 * (a) the stage + DELETE/INSERT upsert of a 40-column table with a primary key, (b) the commit, and two
 * ways of reading the stored hashes of the next 1,000 ids: (c) ten `IN (100 ids)` queries, one per page,
 * as RecordStateRepository.prefetch does, and (d) one join against the 1,000 ids. It runs twice: with
 * DuckDB's default checkpoint_threshold (16 MB of WAL) and with 1 GB (checkpoint only at close).
 *
 * <pre>
 *   java -cp target/persistiq-sync.jar bench/DuckDbProbe.java [leads, default 200000]
 * </pre>
 */
public class DuckDbProbe {
    private static final int COLUMNS = 40;
    private static final int BATCH = 1_000;
    private static final int PAGE = 100;

    public static void main(String[] args) throws Exception {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("duckdb-probe-");
        for (String threshold : new String[] {null, "1GB"}) {
            System.out.println("checkpoint_threshold " + (threshold == null ? "default (16MB)" : threshold) + ":");
            Path file = dir.resolve("probe-" + (threshold == null ? "default" : threshold) + ".duckdb");
            run(file, leads, threshold);
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".wal"));
        }
        Files.deleteIfExists(dir);
    }

    private static void run(Path file, int leads, String threshold) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            if (threshold != null) s.execute("SET checkpoint_threshold = '" + threshold + "'");
            StringBuilder cols = new StringBuilder();
            for (int i = 1; i < COLUMNS; i++) cols.append(", c").append(i).append(" VARCHAR");
            s.execute("CREATE TABLE leads (id VARCHAR PRIMARY KEY" + cols + ")");
            s.execute("CREATE TABLE stage (id VARCHAR" + cols + ")");
            s.execute("CREATE TABLE record_state (stream VARCHAR NOT NULL, id VARCHAR NOT NULL, hash VARCHAR, seen_pass BIGINT,"
                    + " PRIMARY KEY (stream, id))");
            c.commit();
            String inQuery = "SELECT id, hash FROM record_state WHERE stream = ? AND id IN (?" + ", ?".repeat(PAGE - 1) + ")";
            long upsert = 0, commit = 0, maxCommit = 0, inList = 0, join = 0;
            int batches = 0;
            for (int n = 0; n < leads; n += BATCH) {
                long t0 = System.nanoTime();
                try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class).createAppender("main", "stage")) {
                    for (int i = n; i < n + BATCH; i++) {
                        appender.beginRow();
                        appender.append("l_" + i);
                        for (int k = 1; k < COLUMNS; k++) appender.append("value " + k + " of lead " + i);
                        appender.endRow();
                    }
                }
                s.execute("DELETE FROM leads t USING stage s WHERE t.id = s.id; INSERT INTO leads SELECT * FROM stage;"
                        + " DELETE FROM record_state t USING stage s WHERE t.stream = 'leads' AND t.id = s.id;"
                        + " INSERT INTO record_state SELECT 'leads', id, md5(id), 1 FROM stage; DELETE FROM stage");
                long t1 = System.nanoTime();
                c.commit();
                long t2 = System.nanoTime();
                for (int page = 0; page < BATCH / PAGE; page++) { // (c) one IN query per page
                    try (PreparedStatement p = c.prepareStatement(inQuery)) {
                        p.setString(1, "leads");
                        for (int i = 0; i < PAGE; i++) p.setString(i + 2, "l_" + (n + BATCH + page * PAGE + i));
                        drain(p.executeQuery());
                    }
                }
                long t3 = System.nanoTime();
                StringBuilder ids = new StringBuilder(); // (d) one join per batch
                for (int i = 0; i < BATCH; i++) ids.append(i == 0 ? "'" : ", '").append("l_").append(n + BATCH + i).append('\'');
                drain(s.executeQuery("SELECT r.id, r.hash FROM record_state r JOIN (SELECT unnest([" + ids + "]) AS id) p ON r.id = p.id"
                        + " WHERE r.stream = 'leads'"));
                long t4 = System.nanoTime();
                upsert += t1 - t0;
                commit += t2 - t1;
                maxCommit = Math.max(maxCommit, t2 - t1);
                inList += t3 - t2;
                join += t4 - t3;
                batches++;
                if ((n + BATCH) % (leads / 4) == 0) {
                    System.out.printf(Locale.ROOT, "  %,8d rows: per 1,000 leads: stage+upsert %5.1f ms, commit %5.1f ms (max %4.0f);"
                            + " stored hashes: 10 x IN(100) %5.1f ms, 1 join of 1,000 %4.1f ms%n", n + BATCH, upsert / 1e6 / batches,
                            commit / 1e6 / batches, maxCommit / 1e6, inList / 1e6 / batches, join / 1e6 / batches);
                    upsert = commit = maxCommit = inList = join = 0;
                    batches = 0;
                }
            }
            long t = System.nanoTime();
            c.commit();
            c.close();
            System.out.printf(Locale.ROOT, "  close (final checkpoint) %.0f ms%n", (System.nanoTime() - t) / 1e6);
        }
    }

    private static void drain(ResultSet rs) throws SQLException {
        try (rs) {
            while (rs.next()) {
                rs.getString(2);
            }
        }
    }
}
