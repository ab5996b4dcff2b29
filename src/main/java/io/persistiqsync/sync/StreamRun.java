package io.persistiqsync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.persistiqsync.api.PageRequest;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheRecord;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.cache.StreamColumns;
import io.persistiqsync.state.RecordStates;
import io.persistiqsync.state.RunCounts;
import io.persistiqsync.state.StreamState;

/**
 * One stream's run within a sync, carried through the routes as the exchange property
 * {@code streamRun}: everything that belongs to this run and to nobody else. Where paging stands
 * (partition, page, the next page, the partitions found gone), what has been counted and committed,
 * the batch not yet written, and the stored hashes of the page being read ({@link RecordStates}).
 * The stage beans (RunPlanner, PageReader, RecordShaper, CacheWriter, DeleteCheck, RunRecorder) hold
 * nothing of a run: they reach the run, and through it its session (cache, settings, pacer), here.
 */
public class StreamRun implements RecordStates.Owner {
    public static final String INCREMENTAL = "incremental";
    public static final String FULL_PASS = "full pass";
    public static final String FULL_REFRESH = "full refresh";

    /** the sync this run is part of */
    private final SyncSession session;
    private final StreamDefinition stream;
    private final long runId;
    private final String mode;
    private final Instant startedAt;
    private final StreamColumns columns;
    private final RecordStates recordStates;
    private final long requestsAtStart;
    private StreamState state;

    // where paging stands
    private String partition;
    private int page;
    private Integer nextPage;
    private List<String> pageIds = List.of();
    private final List<String> gonePartitions = new ArrayList<>();
    private boolean interrupted;

    // what has been counted (pending and committed), and what waits for the next commit
    private long created;
    private long changed;
    private long unchanged;
    private long deleted;
    private long rejected;
    private long pages;
    /** the counts as of the last commit (requests aside): what a failed run reports, and where a reconnected run goes on from */
    private RunCounts committed = RunCounts.ZERO;
    /** the last page whose batch is committed (0: none yet in this pass) */
    private int committedPage;
    private final Batch batch = new Batch();

    private StreamRun(SyncSession session, StreamDefinition stream, long runId, String mode, Instant startedAt, StreamState state,
            StreamColumns columns, RecordStates recordStates, long requestsAtStart) {
        this.session = session;
        this.stream = stream;
        this.runId = runId;
        this.mode = mode;
        this.startedAt = startedAt;
        this.state = state;
        this.columns = columns;
        this.recordStates = recordStates;
        this.requestsAtStart = requestsAtStart;
        this.committedPage = state.checkpointPage();
    }

    /** A new run of the stream, its _sync_runs row open. */
    static StreamRun open(SyncSession session, StreamDefinition stream, long runId, String mode, Instant startedAt, StreamState state,
            StreamColumns columns, RecordStates recordStates) {
        return new StreamRun(session, stream, runId, mode, startedAt, state, columns, recordStates, session.pacer().requests());
    }

    /**
     * This run goes on where an earlier attempt of it stopped (the cache's connection was lost, then
     * found again): what that attempt committed counts; what it had not committed is read again.
     */
    StreamRun continued(StreamState reloaded, StreamColumns reloadedColumns, RecordStates reopened) {
        StreamRun run = new StreamRun(session, stream, runId, reloaded.passMode(), startedAt, reloaded, reloadedColumns, reopened,
                requestsAtStart);
        run.committed = committed;
        run.committedPage = committedPage;
        run.created = committed.created();
        run.changed = committed.changed();
        run.unchanged = committed.unchanged();
        run.deleted = committed.deleted();
        run.rejected = committed.rejected();
        run.pages = committed.pages();
        run.gonePartitions.addAll(gonePartitions);
        return run;
    }

    // --- what the run is ---------------------------------------------------------------------------

    SyncSession session() {
        return session;
    }

    public StreamDefinition stream() {
        return stream;
    }

    public String getStreamName() {
        return stream.name();
    }

    /** The account this run syncs. */
    public String getAccount() {
        return session.account().name();
    }

    public long runId() {
        return runId;
    }

    public String mode() {
        return mode;
    }

    /** A full pass or full refresh reads everything, so at its end the records it did not see are gone. */
    public boolean isFullPass() {
        return !INCREMENTAL.equals(mode);
    }

    public Instant startedAt() {
        return startedAt;
    }

    public StreamColumns columns() {
        return columns;
    }

    public StreamState state() {
        return state;
    }

    void state(StreamState state) {
        this.state = state;
    }

    @Override
    public RecordStates recordStates() {
        return recordStates;
    }

    @Override
    public CacheStore store() {
        return session.store();
    }

    // --- where paging stands -----------------------------------------------------------------------

    void startPartition(String partition, int firstPage) {
        this.partition = partition;
        this.page = firstPage;
        this.nextPage = firstPage;
    }

    public String getPartition() {
        return partition;
    }

    public int page() {
        return page;
    }

    /** Whether the loop asks for another page. */
    public boolean isHasNextPage() {
        return nextPage != null && !interrupted;
    }

    /**
     * A stop (SIGTERM) came: no further page or partition is read. The page reached stays the last one
     * written, so the checkpoint committed next is exact and the next sync resumes right after it.
     */
    void interrupt() {
        interrupted = true;
    }

    public boolean isInterrupted() {
        return interrupted;
    }

    /** The page the last answer pointed at (null: none). */
    Integer nextPageNumber() {
        return nextPage;
    }

    /** An answer was read: its ids, and the page it points at (null: it was the last). */
    void pageRead(List<String> ids, Integer next) {
        pageIds = ids;
        pages++;
        nextPage = next;
    }

    /** Moves on to the page the last answer pointed at. */
    void advance() {
        if (nextPage != null) page = nextPage;
    }

    /** The request for the current page. */
    public PageRequest getPageRequest() {
        return new PageRequest(getPosition(), stream.pathFor(partition), stream.recordsKey(), stream.paged(), page, stream.filter().parameter,
                state.passFilter());
    }

    /** Where paging stands, without the page: "leads", "campaign_leads c_abc123". */
    public String getPosition() {
        return stream.name() + (partition == null ? "" : " " + partition);
    }

    @Override
    public List<String> pageIds() {
        return pageIds;
    }

    /** The partition's parent went away (404): no page of it is read after this one, which has no records. */
    void partitionGone(String reason) {
        gonePartitions.add(partition + " (" + reason + ")");
        pageIds = List.of();
        nextPage = null;
    }

    List<String> gonePartitions() {
        return List.copyOf(gonePartitions);
    }

    /** Where the run stands, for error messages: "leads page 7" or "campaign_leads c_abc123 page 2". */
    public String position() {
        return getPosition() + " page " + page;
    }

    // --- the batch not yet written, and the counts -------------------------------------------------

    /**
     * Takes one record of a page after the state check into the batch, counted by what it is: refused,
     * unchanged (seen by a full pass), new (never stored), or changed.
     */
    void stage(CacheRecord r, boolean isUnchanged) {
        if (!r.isAccepted()) {
            batch.rejected.add(r);
            rejected++;
        } else if (isUnchanged) {
            unchanged++;
            // (a new record shown twice already has its state row, inserted with it)
            if (isFullPass() && !batch.created.containsKey(r.id())) batch.seen.put(r.id(), r.hash());
        } else if (batch.created.containsKey(r.id())) {
            // shown twice in one batch with different content: still one new record
            changed++;
            batch.created.put(r.id(), r);
        } else if (recordStates.isNew(r.id())) {
            created++;
            batch.created.put(r.id(), r);
        } else {
            changed++;
            batch.rows.put(r.id(), r);
            batch.seen.put(r.id(), r.hash());
        }
    }

    /** A page's records are staged: how many pages the batch now holds. */
    int pageStaged() {
        return ++batch.pages;
    }

    Batch batch() {
        return batch;
    }

    /** The batch committed (its checkpoint with it): the pending counts became committed ones. */
    void committed(StreamState checkpointed) {
        state = checkpointed;
        committed = counts().withRequests(0);
        committedPage = checkpointed.checkpointPage();
        clearBatch();
    }

    /** Drops what is pending (the batch was rolled back, or is about to be). */
    void clearBatch() {
        batch.clear();
        if (recordStates != null) recordStates.batchEnded();
    }

    void deleted(long n) {
        deleted = n;
    }

    /** The counts so far; requests are those the pacer counted since the run began. */
    public RunCounts counts() {
        return new RunCounts(created, changed, unchanged, deleted, rejected, pages, requestsSinceStart());
    }

    /** The counts of what is committed (a failed run's truth: the rest was rolled back). */
    public RunCounts committedCounts() {
        return committed.withRequests(requestsSinceStart());
    }

    private long requestsSinceStart() {
        return session == null ? 0 : session.pacer().requests() - requestsAtStart;
    }

    /** The last page committed, where the next sync resumes after (0: none yet). */
    public int committedPage() {
        return committedPage;
    }

    /** What waits for the next commit: new rows, changed rows, state rows of records seen, refused records. */
    static final class Batch {
        /** records never stored before (plain inserts), and changed ones (upserts) */
        final Map<String, CacheRecord> created = new LinkedHashMap<>();
        final Map<String, CacheRecord> rows = new LinkedHashMap<>();
        /** hashes of changed records and, in a full pass, of unchanged ones (seen by the pass) */
        final Map<String, String> seen = new LinkedHashMap<>();
        final List<CacheRecord> rejected = new ArrayList<>();
        int pages;

        Map<String, String> createdHashes() {
            Map<String, String> hashes = new LinkedHashMap<>();
            created.forEach((id, r) -> hashes.put(id, r.hash()));
            return hashes;
        }

        Collection<CacheRecord> createdRecords() {
            return created.values();
        }

        void clear() {
            created.clear();
            rows.clear();
            seen.clear();
            rejected.clear();
            pages = 0;
        }
    }
}
