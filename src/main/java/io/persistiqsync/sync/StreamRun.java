package io.persistiqsync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.persistiqsync.api.PageRequest;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.StreamColumns;
import io.persistiqsync.state.StreamState;
import io.persistiqsync.state.SyncRunLog.RunCounts;

/**
 * One stream's run within a sync: carried through the routes as the exchange property
 * {@code streamRun}. Holds where paging stands and what has been counted.
 */
public class StreamRun {
    public static final String INCREMENTAL = "incremental";
    public static final String FULL_PASS = "full pass";
    public static final String FULL_REFRESH = "full refresh";

    private final StreamDefinition stream;
    private final long runId;
    private final String mode;
    private final Instant startedAt;
    private final StreamColumns columns;
    private final long requestsAtStart;
    private StreamState state;

    private String partition;
    private int page;
    private Integer nextPage;
    private List<String> pageIds = List.of();
    private final List<String> gonePartitions = new ArrayList<>();
    private boolean interrupted;

    long created;
    long changed;
    long unchanged;
    long deleted;
    long rejected;
    long pages;
    /** the counts as of the last commit (requests aside): what a failed run reports, and where a reconnected run goes on from */
    private RunCounts committed = new RunCounts(0, 0, 0, 0, 0, 0, 0);
    /** the last page whose batch is committed (0: none yet in this pass) */
    private int committedPage;

    public StreamRun(StreamDefinition stream, long runId, String mode, Instant startedAt, StreamState state, StreamColumns columns,
            long requestsAtStart) {
        this.stream = stream;
        this.runId = runId;
        this.mode = mode;
        this.startedAt = startedAt;
        this.state = state;
        this.columns = columns;
        this.requestsAtStart = requestsAtStart;
        this.committedPage = state.checkpointPage();
    }

    /** A run that only reads one page (check). */
    public static StreamRun probe(StreamDefinition stream) {
        StreamRun run = new StreamRun(stream, 0, INCREMENTAL, Instant.now(), StreamState.empty(stream.name()), null, 0);
        run.startPartition(null, 1);
        return run;
    }

    void startPartition(String partition, int firstPage) {
        this.partition = partition;
        this.page = firstPage;
        this.nextPage = firstPage;
    }

    public StreamDefinition stream() {
        return stream;
    }

    public String getStreamName() {
        return stream.name();
    }

    public long runId() {
        return runId;
    }

    public String mode() {
        return mode;
    }

    /** A full pass or full refresh reads everything, so at its end the records it did not see are gone. */
    public boolean fullPass() {
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

    public boolean interrupted() {
        return interrupted;
    }

    /** The page the last answer pointed at (null: none). */
    public Integer nextPageNumber() {
        return nextPage;
    }

    void nextPage(Integer next) {
        this.nextPage = next;
    }

    /** Moves on to the page the last answer pointed at. */
    void advance() {
        if (nextPage != null) page = nextPage;
    }

    boolean pageAdvancePending() {
        return nextPage != null && nextPage != page;
    }

    /** The request for the current page. */
    public PageRequest getPageRequest() {
        return new PageRequest(getPosition(), stream.pathFor(partition), stream.recordsKey(), stream.paged(), page, stream.filter().parameter, state.passFilter(),
                partition != null);
    }

    /** Where paging stands, without the page: "leads", "campaign_leads c_abc123". */
    public String getPosition() {
        return stream.name() + (partition == null ? "" : " " + partition);
    }

    public List<String> getPageIds() {
        return pageIds;
    }

    void recordPageIds(List<String> ids) {
        this.pageIds = ids;
    }

    void partitionGone(String reason) {
        gonePartitions.add(partition + " (" + reason + ")");
        nextPage = null;
    }

    public List<String> gonePartitions() {
        return List.copyOf(gonePartitions);
    }

    /** Where the run stands, for error messages: "leads page 7" or "campaign_leads c_abc123 page 2". */
    public String position() {
        return getPosition() + " page " + page;
    }

    public RunCounts counts(long requestsNow) {
        return new RunCounts(created, changed, unchanged, deleted, rejected, pages, requestsNow - requestsAtStart);
    }

    /** The counts of what is committed (a failed run's truth: the rest was rolled back). */
    public RunCounts committedCounts(long requestsNow) {
        return new RunCounts(committed.created(), committed.changed(), committed.unchanged(), committed.deleted(), committed.rejected(),
                committed.pages(), requestsNow - requestsAtStart);
    }

    /** The pending counts became committed ones (called when their batch commits). */
    void committed() {
        committed = counts(requestsAtStart);
        committedPage = state.checkpointPage();
    }

    /** The last page committed, where the next sync resumes after (0: none yet). */
    public int committedPage() {
        return committedPage;
    }

    /**
     * This run goes on where an earlier attempt of it stopped (the cache's connection was lost, then
     * found again): what that attempt committed counts; what it had not committed is read again.
     */
    void continueFrom(StreamRun previous) {
        committed = previous.committed;
        committedPage = previous.committedPage;
        created = committed.created();
        changed = committed.changed();
        unchanged = committed.unchanged();
        deleted = committed.deleted();
        rejected = committed.rejected();
        pages = committed.pages();
        gonePartitions.addAll(previous.gonePartitions);
    }

    public long requestsAtStart() {
        return requestsAtStart;
    }
}
