package io.persistiqsync.state;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.cache.CacheStore;

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
 */
public class RecordStateRepository extends ServiceSupport implements IdempotentRepository {
    private final Supplier<CacheStore> store;
    private String stream;
    /** stored hash per id, for the ids of the current page (a null hash: known but forgotten or deleted) */
    private final Map<String, String> stored = new HashMap<>();
    /** hashes added since the last commit */
    private final Map<String, String> pending = new HashMap<>();
    /** ids added since the last commit that had never been stored */
    private final Set<String> newIds = new HashSet<>();
    /** the ids this run stored, when the stream had no state at its start (else null: every page is looked up) */
    private IdFilter storedThisRun;

    public RecordStateRepository(Supplier<CacheStore> store) {
        this.store = store;
    }

    /** A stream's run begins: whether its state is empty decides how pages are looked up. */
    public synchronized void beginStream(String streamName) throws SQLException {
        stream = streamName;
        stored.clear();
        pending.clear();
        newIds.clear();
        CacheStore db = store.get();
        List<Long> known = db.query("SELECT COUNT(*) FROM " + db.table("_record_state") + " WHERE stream = ?", rs -> rs.getLong(1), streamName);
        storedThisRun = known.get(0) == 0 ? new IdFilter() : null;
    }

    /** Reads the stored hashes of a page's ids in one query. */
    public synchronized void prefetch(String streamName, Collection<String> ids) throws SQLException {
        if (!streamName.equals(stream)) beginStream(streamName);
        stored.clear();
        List<String> idList = storedThisRun == null ? new ArrayList<>(ids) : ids.stream().filter(storedThisRun::mightContain).toList();
        if (idList.isEmpty()) return;
        CacheStore db = store.get();
        for (int from = 0; from < idList.size(); from += 500) {
            List<String> chunk = idList.subList(from, Math.min(idList.size(), from + 500));
            Object[] params = new Object[chunk.size() + 1];
            params[0] = streamName;
            for (int i = 0; i < chunk.size(); i++) params[i + 1] = chunk.get(i);
            db.query("SELECT id, hash FROM " + db.table("_record_state") + " WHERE stream = ? AND id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> stored.put(rs.getString(1), rs.getString(2)), params);
        }
    }

    /** Whether the last add of this id was its first appearance ever (else it is a change). */
    public synchronized boolean isNew(String id) {
        return newIds.contains(id);
    }

    @Override
    public synchronized boolean contains(String key) {
        Key k = Key.parse(key);
        String hash = pending.containsKey(k.id) ? pending.get(k.id) : stored.get(k.id);
        return k.hash.equals(hash);
    }

    @Override
    public synchronized boolean add(String key) {
        if (contains(key)) return false;
        Key k = Key.parse(key);
        if (!stored.containsKey(k.id) && !pending.containsKey(k.id)) newIds.add(k.id);
        pending.put(k.id, k.hash);
        return true;
    }

    @Override
    public synchronized boolean remove(String key) {
        return pending.remove(Key.parse(key).id) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    /** Forgets every stored hash (all streams): the next sync rewrites everything. */
    @Override
    public synchronized void clear() {
        try {
            CacheStore db = store.get();
            db.update("UPDATE " + db.table("_record_state") + " SET hash = NULL");
            db.commit();
            storedThisRun = null;
            stored.clear();
            pending.clear();
            newIds.clear();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clear _record_state: " + e.getMessage(), e);
        }
    }

    /** Forgets the stored hashes of one stream (--full-refresh); joins the caller's transaction. */
    public synchronized void forget(String streamName) throws SQLException {
        CacheStore db = store.get();
        db.update("UPDATE " + db.table("_record_state") + " SET hash = NULL WHERE stream = ?", streamName);
        storedThisRun = null;
        stored.clear();
        pending.clear();
        newIds.clear();
    }

    /**
     * Writes the state of records written or seen, in the caller's transaction.
     *
     * @param idsAndHashes id -> content hash
     * @param passId       the pass that saw them (deletes are records a complete full pass did not see)
     * @param allNew       none of them has state yet ({@link #isNew}): inserted without looking
     */
    public void write(String streamName, Map<String, String> idsAndHashes, long passId, boolean allNew) throws SQLException {
        if (idsAndHashes.isEmpty()) return;
        synchronized (this) {
            if (storedThisRun != null && streamName.equals(stream)) idsAndHashes.keySet().forEach(storedThisRun::add);
        }
        List<String[]> rows = new ArrayList<>(idsAndHashes.size());
        String pass = Long.toString(passId);
        idsAndHashes.forEach((id, hash) -> rows.add(new String[] {streamName, id, hash, pass}));
        store.get().stageAndUpsert("_record_state", List.of("stream", "id"), List.of("stream", "id", "hash", "seen_pass"),
                List.of(FieldType.TEXT, FieldType.TEXT, FieldType.TEXT, FieldType.INTEGER), rows, List.of(), List.of(), allNew);
    }

    /** The staged hashes are now in the database (or were rolled back): start over. */
    public synchronized void batchEnded() {
        pending.clear();
        newIds.clear();
    }

    /**
     * After a complete full pass: records the pass did not see get {@code _deleted_at}, and their hash
     * is forgotten so that a record that comes back is written again (and is live again).
     *
     * @return how many records were marked deleted
     */
    public int markUnseenDeleted(String streamName, long passId, long syncId, String now) throws SQLException {
        CacheStore db = store.get();
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
    public List<String> unseenIds(String streamName, long passId, int max) throws SQLException {
        CacheStore db = store.get();
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
