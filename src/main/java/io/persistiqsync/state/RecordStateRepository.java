package io.persistiqsync.state;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.routes.RouteNames;

/**
 * The idempotent repository behind incremental sync, stored in the cache database itself
 * ({@code _record_state}: one row per stream and record id, holding the record's content hash), so
 * the state travels with the data and every runtime using that database shares it.
 *
 * Keys are {@code stream/id/hash}. A key is "contained" when the record's stored hash equals it: the
 * record is unchanged and needs no write. {@link #add} only stages the new hash; it reaches the
 * database with the record's row, in the same transaction ({@link #write}), so state never runs ahead
 * of data. Stored hashes are read a page at a time ({@link #prefetch}), which keeps memory flat
 * however many records a stream has. A stream with no state at all when its run begins (a first sync)
 * skips those reads: only ids this run has stored can have a hash, and {@link IdFilter} tells which
 * ids may be among them (a record the API shows twice as pages shift), so only those are looked up.
 * <p>
 * The repository holds nothing of a run: the hashes it checks are the {@link RecordStates} of the run
 * the exchange carries (Camel hands the exchange to {@link #contains(Exchange, String)} and
 * {@link #add(Exchange, String)}), and the database is the one that run writes to.
 */
public class RecordStateRepository extends ServiceSupport implements IdempotentRepository {

    /** A stream's run begins: whether its state is empty decides how pages are looked up. */
    public RecordStates open(CacheStore db, String streamName) throws SQLException {
        List<Long> known = db.query("SELECT COUNT(*) FROM " + db.table("_record_state") + " WHERE stream = ?", rs -> rs.getLong(1), streamName);
        return new RecordStates(streamName, known.get(0) == 0);
    }

    /** Reads the stored hashes of the run's page ids in one query (sync-stream calls it after each page). */
    public void prefetch(@ExchangeProperty(RouteNames.STREAM_RUN) RecordStates.Owner run) throws SQLException {
        prefetch(run.store(), run.recordStates(), run.pageIds());
    }

    /** Reads the stored hashes of these ids into the run's states, in one query per 500 ids. */
    public void prefetch(CacheStore db, RecordStates states, Collection<String> ids) throws SQLException {
        synchronized (states) {
            states.stored.clear();
            List<String> idList = states.storedThisRun == null ? new ArrayList<>(ids)
                    : ids.stream().filter(states.storedThisRun::mightContain).toList();
            for (int from = 0; from < idList.size(); from += 500) {
                List<String> chunk = idList.subList(from, Math.min(idList.size(), from + 500));
                Object[] params = new Object[chunk.size() + 1];
                params[0] = states.stream;
                for (int i = 0; i < chunk.size(); i++) params[i + 1] = chunk.get(i);
                db.query("SELECT id, hash FROM " + db.table("_record_state") + " WHERE stream = ? AND id IN ("
                        + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")",
                        rs -> states.stored.put(rs.getString(1), rs.getString(2)), params);
            }
        }
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        Key k = Key.parse(key);
        return states(exchange).contains(k.id, k.hash);
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        Key k = Key.parse(key);
        return states(exchange).add(k.id, k.hash);
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return states(exchange).remove(Key.parse(key).id);
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        return true;
    }

    private static RecordStates states(Exchange exchange) {
        RecordStates.Owner run = exchange.getProperty(RouteNames.STREAM_RUN, RecordStates.Owner.class);
        if (run == null) throw new IllegalStateException("no stream run on the exchange: the record state is the run's");
        return run.recordStates();
    }

    /** Camel calls the exchange forms; without an exchange there is no run whose state to check. */
    @Override
    public boolean contains(String key) {
        throw withoutRun();
    }

    @Override
    public boolean add(String key) {
        throw withoutRun();
    }

    @Override
    public boolean remove(String key) {
        throw withoutRun();
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    /** Nothing to clear here: the state is the runs' ({@link #forget} forgets a stream's stored hashes). */
    @Override
    public void clear() {
        throw withoutRun();
    }

    private static UnsupportedOperationException withoutRun() {
        return new UnsupportedOperationException("the record state is checked per run: call the forms that take the exchange");
    }

    /** Forgets the stored hashes of one stream (--full-refresh); joins the caller's transaction. */
    public void forget(CacheStore db, String streamName) throws SQLException {
        db.update("UPDATE " + db.table("_record_state") + " SET hash = NULL WHERE stream = ?", streamName);
    }

    /**
     * Writes the state of records written or seen, in the caller's transaction.
     *
     * @param idsAndHashes id -> content hash
     * @param passId       the pass that saw them (deletes are records a complete full pass did not see)
     * @param allNew       none of them has state yet ({@link RecordStates#isNew}): inserted without looking
     */
    public void write(CacheStore db, RecordStates states, Map<String, String> idsAndHashes, long passId, boolean allNew) throws SQLException {
        if (idsAndHashes.isEmpty()) return;
        synchronized (states) {
            if (states.storedThisRun != null) idsAndHashes.keySet().forEach(states.storedThisRun::add);
        }
        List<String[]> rows = new ArrayList<>(idsAndHashes.size());
        String pass = Long.toString(passId);
        idsAndHashes.forEach((id, hash) -> rows.add(new String[] {states.stream, id, hash, pass}));
        db.stageAndUpsert("_record_state", List.of("stream", "id"), List.of("stream", "id", "hash", "seen_pass"),
                List.of(FieldType.TEXT, FieldType.TEXT, FieldType.TEXT, FieldType.INTEGER), rows, List.of(), allNew);
    }

    /**
     * After a complete full pass: records the pass did not see get {@code _deleted_at}, and their hash
     * is forgotten so that a record that comes back is written again (and is live again).
     *
     * @return how many records were marked deleted
     */
    public int markUnseenDeleted(CacheStore db, String streamName, long passId, long syncId, String now) throws SQLException {
        String table = db.table(streamName);
        String timestamp = db.dialect().cast("'" + now + "'", FieldType.TIMESTAMP);
        int deleted = db.update("UPDATE " + table + " SET " + db.dialect().quote(CacheStore.DELETED_AT) + " = " + timestamp + ", "
                + db.dialect().quote(CacheStore.SYNC_ID) + " = ? WHERE " + db.dialect().quote(CacheStore.DELETED_AT) + " IS NULL AND "
                + db.dialect().quote("id") + " IN (SELECT id FROM " + db.table("_record_state")
                + " WHERE stream = ? AND (seen_pass IS NULL OR seen_pass <> ?))", syncId, streamName, passId);
        db.update("UPDATE " + db.table("_record_state") + " SET hash = NULL WHERE stream = ? AND (seen_pass IS NULL OR seen_pass <> ?)",
                streamName, passId);
        return deleted;
    }

    /**
     * The live records of a stream the pass did not see (yet), when there are at most {@code max} of
     * them; else null (too many to ask about one by one).
     */
    public List<String> unseenIds(CacheStore db, String streamName, long passId, int max) throws SQLException {
        String unseen = " FROM " + db.table("_record_state") + " WHERE stream = ? AND hash IS NOT NULL AND (seen_pass IS NULL OR seen_pass <> ?)";
        long count = db.query("SELECT COUNT(*)" + unseen, rs -> rs.getLong(1), streamName, passId).get(0);
        if (count > max) return null;
        return count == 0 ? List.of() : db.query("SELECT id" + unseen + " ORDER BY id", rs -> rs.getString(1), streamName, passId);
    }

    private record Key(String stream, String id, String hash) {
        /** stream/id/hash: the stream has no slash and the hash is hex, so the id is whatever lies between. */
        static Key parse(String key) {
            int first = key.indexOf('/');
            int last = key.lastIndexOf('/');
            if (first < 0 || last <= first) throw new IllegalArgumentException("not a record state key: " + key);
            return new Key(key.substring(0, first), key.substring(first + 1, last), key.substring(last + 1));
        }
    }

    @Override
    protected void doStart() {
    }

    @Override
    protected void doStop() {
    }
}
