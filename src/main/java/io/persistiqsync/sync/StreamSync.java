package io.persistiqsync.sync;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.api.ApiException;
import io.persistiqsync.api.ApiRefusedException;
import io.persistiqsync.api.PageAhead;
import io.persistiqsync.api.Pagination;
import io.persistiqsync.api.PaginationException;
import io.persistiqsync.api.RatePacer;
import io.persistiqsync.api.RecordLookup;
import io.persistiqsync.api.Secrets;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheFaults;
import io.persistiqsync.cache.CacheRecord;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.cache.ColumnNames;
import io.persistiqsync.cache.StreamColumns;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.state.RecordStateRepository;
import io.persistiqsync.state.StreamState;
import io.persistiqsync.state.StreamStateStore;
import io.persistiqsync.state.SyncRunLog;

/**
 * The life of one stream in a sync, step by step as sync-stream.camel.yaml calls it: choose the mode
 * and open the run, walk the partitions and pages (checking each answer's envelope and where its
 * next_page leads), and at the end record the outcome, marking deletes after a complete full pass.
 */
public class StreamSync {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSync.class);
    /** updated_after / start_at as the contract shows them: 2017-10-17T07:37:00-07:00 */
    /** the field of the page partitionGone answers */
    private static final String GONE = "gone";
    static final DateTimeFormatter FILTER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private final SyncSettings settings;
    private final SyncSession session;
    private final RecordStateRepository recordState;
    private final CacheWriter writer;
    private final RatePacer pacer;
    private final Secrets secrets;
    private final PageAhead pageAhead;
    private final RecordLookup lookup;
    private final RecordShaper shaper;

    public StreamSync(SyncSettings settings, SyncSession session, RecordStateRepository recordState, CacheWriter writer, RatePacer pacer,
            Secrets secrets, PageAhead pageAhead, RecordLookup lookup, RecordShaper shaper) {
        this.pageAhead = pageAhead;
        this.lookup = lookup;
        this.shaper = shaper;
        this.settings = settings;
        this.session = session;
        this.recordState = recordState;
        this.writer = writer;
        this.pacer = pacer;
        this.secrets = secrets;
    }

    /** Chooses the mode, opens the _sync_runs row and the pass, answers the partitions to read. */
    public List<String> begin(@Body StreamDefinition stream, Exchange exchange) throws SQLException {
        CacheStore db = session.store();
        SyncRequest request = session.request();
        Instant now = Instant.now();
        // an earlier attempt of this run lost the cache's connection: the same run goes on (same _sync_runs row)
        StreamRun previous = exchange.getProperty(RouteNames.STREAM_RUN, StreamRun.class);
        if (previous != null && !previous.stream().name().equals(stream.name())) previous = null;
        if (previous == null) SyncRunLog.markInterrupted(db, stream.name());
        StreamState state = StreamStateStore.load(db, stream.name());
        if (previous != null && state.passOpen()) {
            StreamRun run = new StreamRun(stream, previous.runId(), state.passMode(), previous.startedAt(), state, db.columns(stream),
                    previous.requestsAtStart());
            run.continueFrom(previous);
            recordState.beginStream(stream.name());
            db.applyColumnChanges(stream, run.columns());
            db.commit();
            exchange.setProperty(RouteNames.STREAM_RUN, run);
            LOG.info("{}: going on after page {} (the cache is back)", stream.name(), state.checkpointPage());
            return partitions(db, stream, state, true);
        }
        if (request.fullRefresh()) {
            recordState.forget(stream.name());
            state = state.forgotten();
        }
        recordState.beginStream(stream.name());
        // an open pass is resumed where it stopped, unless a full pass is asked for and the open one is not:
        // resuming an incremental pass would leave records gone from the API live
        boolean resume = state.passOpen() && !(request.fullPass() && StreamRun.INCREMENTAL.equals(state.passMode()));
        String mode;
        if (resume) mode = state.passMode();
        else if (request.fullRefresh()) mode = StreamRun.FULL_REFRESH;
        else if (fullPassDue(stream, state, request, now)) mode = StreamRun.FULL_PASS;
        else mode = StreamRun.INCREMENTAL;

        long runId = SyncRunLog.start(db, stream.name(), mode, now, session.node());
        if (!resume) {
            String filter = mode.equals(StreamRun.INCREMENTAL)
                    ? FILTER_TIME.format(Instant.ofEpochMilli(state.watermark()).minus(settings.watermarkOverlap()))
                    : null;
            state = state.openPass(runId, mode, now.toEpochMilli(), filter);
        }
        StreamColumns columns = db.columns(stream);
        if (stream.flattenData()) declareLeadFields(db, columns);
        db.applyColumnChanges(stream, columns);
        StreamStateStore.save(db, state);
        db.commit();

        StreamRun run = new StreamRun(stream, runId, mode, now, state, columns, pacer.requests());
        exchange.setProperty(RouteNames.STREAM_RUN, run);
        LOG.info("{}: {}{}{}", stream.name(), mode, resume ? " (resuming after page " + state.checkpointPage() + ")" : "",
                state.passFilter() == null ? "" : " " + stream.filter().parameter + "=" + state.passFilter());
        if (session.keyRefused()) throw new ApiRefusedException(401, "skipped: the API refused the key for an earlier stream");
        List<String> partitions = partitions(db, stream, state, resume);
        session.observer().runStarted(run, partitions.size());
        return partitions;
    }

    private boolean fullPassDue(StreamDefinition stream, StreamState state, SyncRequest request, Instant now) {
        return stream.filter() == StreamDefinition.IncrementalFilter.NONE
                || request.fullPass()
                || state.lastFullPass() == null
                || state.watermark() == null
                || Duration.between(Instant.ofEpochMilli(state.lastFullPass()), now).compareTo(settings.fullPassInterval()) >= 0;
    }

    /**
     * Every lead field the account defines gets its data__ column, even before a lead has a value.
     * Names that are already column names (first_name) claim theirs before look-alikes ("First Name").
     */
    private static void declareLeadFields(CacheStore db, StreamColumns columns) throws SQLException {
        if (db.existingColumns("lead_fields").isEmpty()) return;
        List<String> names = db.query("SELECT " + db.dialect().quote("name") + " FROM " + db.table("lead_fields") + " WHERE "
                + db.dialect().quote(CacheStore.DELETED_AT) + " IS NULL AND " + db.dialect().quote("name") + " IS NOT NULL ORDER BY 1",
                rs -> rs.getString(1));
        List<String> ordered = new ArrayList<>(names.stream().filter(n -> n.equals(ColumnNames.normalize(n))).toList());
        names.stream().filter(n -> !n.equals(ColumnNames.normalize(n))).forEach(ordered::add);
        for (String name : ordered) {
            columns.observe(RecordShaper.DATA_FIELD + "." + name, RecordShaper::dataColumn, io.persistiqsync.api.FieldType.TEXT);
        }
    }

    /** One partition for a plain stream (""), one per live parent record for a child stream. */
    private static List<String> partitions(CacheStore db, StreamDefinition stream, StreamState state, boolean resume) throws SQLException {
        if (stream.parent() == null) return List.of("");
        List<String> ids = db.liveIds(stream.parent());
        if (!resume || state.checkpointPartition() == null) return ids;
        List<String> remaining = new ArrayList<>();
        for (String id : ids) if (id.compareTo(state.checkpointPartition()) >= 0) remaining.add(id);
        return remaining;
    }

    /** Starts a partition at page 1, or just after the checkpoint when a pass resumes there. */
    public void startPartition(@Body String partition, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) {
        // after a stop (SIGTERM) the partitions left are not begun: the run ends where it stands
        if (run.interrupted() || session.stopRequested() && run.page() > 0) {
            run.interrupt();
            return;
        }
        String p = partition.isEmpty() ? null : partition;
        StreamState s = run.state();
        boolean resumeHere = s.checkpointPage() > 0 && java.util.Objects.equals(p, s.checkpointPartition());
        run.startPartition(p, resumeHere ? s.checkpointPage() + 1 : 1);
        // answers asked for ahead by an earlier run that stopped here are stale: this run asks anew
        pageAhead.forget(run.getPosition());
    }

    /** Takes a page's ids and decides the next page; the body stays the parsed page. */
    public void acceptPage(@Body JsonNode page, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run, Exchange exchange) {
        StreamDefinition stream = run.stream();
        if (page != null && page.has(GONE)) {
            LOG.warn("{}: {}; skipped", run.position(), page.get(GONE).asText());
            run.partitionGone(page.get(GONE).asText());
            run.recordPageIds(List.of());
            ObjectNode empty = JsonNodeFactory.instance.objectNode();
            empty.putArray(stream.recordsKey());
            exchange.getMessage().setBody(empty);
            return;
        }
        JsonNode records = page.get(stream.recordsKey()); // the envelope was checked with the request (ApiResponses)
        List<String> ids = new ArrayList<>(records.size());
        for (JsonNode r : records) {
            JsonNode id = r.get(StreamDefinition.PRIMARY_KEY);
            if (id != null && id.isValueNode() && !id.isNull()) ids.add(id.asText());
        }
        run.recordPageIds(ids);
        run.pages++;
        run.nextPage(stream.paged() ? nextPage(page, run) : null);
        if (!run.isHasNextPage() || run.nextPageNumber() != run.page() + 1) pageAhead.forget(run.getPosition());
    }

    /**
     * Whether there is a next page ({@link Pagination}), and its number: next_page's page= parameter
     * (else the next one).
     * We never request next_page itself: only its number, on the configured host.
     */
    private Integer nextPage(JsonNode page, StreamRun run) {
        if (!Pagination.saysMore(page)) return null;
        String next = Pagination.nextPageLink(page);
        int number = run.page() + 1;
        if (next != null) {
            URI uri;
            try {
                uri = URI.create(next);
            } catch (IllegalArgumentException e) {
                throw new PaginationException("next_page is not a URL after " + run.position());
            }
            if (uri.getHost() != null && !uri.getHost().equalsIgnoreCase(settings.baseUrl().getHost())) {
                LOG.warn("{}: next_page points at another host ({}); asking the configured host for the page instead", run.position(),
                        uri.getHost());
            }
            Integer given = pageParameter(uri.getRawQuery());
            if (given != null) number = given;
        }
        if (number <= run.page()) {
            throw new PaginationException("next_page goes back to page " + number + " after " + run.position() + ": stopped to avoid a loop");
        }
        if (number > settings.maxPages()) {
            throw new PaginationException(run.position() + ": more than persistiq.max-pages (" + settings.maxPages() + ") pages");
        }
        return number;
    }

    private static Integer pageParameter(String query) {
        if (query == null) return null;
        for (String param : query.split("&")) {
            if (param.startsWith("page=")) {
                try {
                    return Integer.parseInt(param.substring(5));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The records of the page, for the streaming split. */
    public Iterator<JsonNode> records(@Body JsonNode page, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) {
        return page.get(run.stream().recordsKey()).elements();
    }

    /** After the page is written: move on to the next one (the loop ends when there is none). */
    public void nextPage(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) {
        if (run.isHasNextPage() && session.stopRequested()) run.interrupt();
        else run.advance();
    }

    /**
     * A child endpoint answered 404 (its campaign went away mid-sync): answered as an empty last page
     * that says why, which {@link #acceptPage} records; the stream goes on.
     */
    public JsonNode partitionGone(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ObjectNode gone = JsonNodeFactory.instance.objectNode();
        gone.put(GONE, e == null ? "gone" : e.getMessage());
        return gone;
    }

    /** The stream read everything it set out to: commit, mark deletes after a full pass, close the run. */
    public StreamResult finish(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run, Exchange exchange) throws Exception {
        if (run.interrupted()) return interrupted(run);
        writer.commit(run);
        CacheStore db = session.store();
        if (run.fullPass()) confirmMissing(run, exchange);
        Instant now = Instant.now();
        if (run.fullPass()) {
            run.deleted = recordState.markUnseenDeleted(run.stream().name(), run.state().passId(), run.runId(), CacheStore.timestamp(now));
        }
        run.state(run.state().closePass(run.fullPass()));
        StreamStateStore.save(db, run.state());
        String note = run.gonePartitions().isEmpty() ? null : "gone mid-sync: " + String.join(", ", run.gonePartitions());
        SyncRunLog.finish(db, run.runId(), SyncRunLog.SUCCEEDED, run.counts(pacer.requests()), note, now);
        db.commit();
        return report(run, SyncRunLog.SUCCEEDED, note);
    }

    /**
     * Records a full pass did not see are gone, or were missed: pages are numbered, so a record deleted
     * on a page already read moves the next one back onto that page, and the pass never sees it. Where
     * the API answers single records, each missing one is asked for (up to sync.delete-check-max of
     * them, a request each): those it still has are stored as seen, and only the rest are marked deleted.
     */
    private void confirmMissing(StreamRun run, Exchange exchange) throws Exception {
        if (!run.stream().recordLookup() || settings.deleteCheckMax() == 0) return;
        String name = run.stream().name();
        List<String> missing = recordState.unseenIds(name, run.state().passId(), settings.deleteCheckMax());
        if (missing == null) {
            LOG.info("{}: more than sync.delete-check-max ({}) records missing from the pass: marked deleted without asking for each",
                    name, settings.deleteCheckMax());
            return;
        }
        if (missing.isEmpty()) return;
        recordState.prefetch(name, missing);
        List<CacheRecord> found = new ArrayList<>();
        for (String id : missing) {
            JsonNode record = lookup.find(exchange, run.stream(), id);
            CacheRecord shaped = record == null ? null : shaper.shape(record, run);
            if (shaped != null && shaped.isAccepted() && shaped.id().equals(id)) found.add(shaped);
        }
        if (!found.isEmpty()) LOG.info("{}: {} of {} records missing from the pass are still there (moved between pages)", name, found.size(),
                missing.size());
        writer.writeFound(run, found);
    }

    /** A stop ended the run at a page boundary: what it read is committed; the pass stays open, so the next sync resumes it. */
    private StreamResult interrupted(StreamRun run) throws SQLException {
        writer.commit(run);
        String note = "stopped by a shutdown after " + run.position() + "; the next sync resumes there";
        SyncRunLog.finish(session.store(), run.runId(), SyncRunLog.INTERRUPTED, run.counts(pacer.requests()), note, Instant.now());
        session.store().commit();
        LOG.warn("{}: interrupted by a shutdown; committed up to {}", run.stream().name(), run.position());
        return report(run, SyncRunLog.INTERRUPTED, note);
    }

    /** A stop (SIGTERM) came before this stream's turn: it is not begun, and its run says so. */
    public void skippedByStop(@Body StreamDefinition stream) {
        String reason = "not begun: the runtime was stopping (SIGTERM); the next sync covers it";
        session.record(db -> SyncRunLog.notBegun(db, stream.name(), reason, Instant.now(), session.node()));
        StreamResult result = new StreamResult(stream.name(), null, SyncRunLog.INTERRUPTED, 0, 0, 0, 0, 0, 0, 0, 0, reason);
        session.report().add(result);
        session.observer().runFinished(result);
    }

    /**
     * The stream failed: nothing uncommitted stays, and the run is recorded as failed with a one-line
     * reason and the counts it had committed. A rollback that fails too (the connection is gone) never
     * hides the first failure, and the record goes over a fresh connection when the run's own is lost.
     */
    public void fail(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        StreamRun run = exchange.getProperty(RouteNames.STREAM_RUN, StreamRun.class);
        StreamDefinition stream = exchange.getMessage().getBody(StreamDefinition.class);
        if (e instanceof ApiRefusedException) session.keyRefused(true);
        if (run != null) pageAhead.forget(run.getPosition());
        writer.discard();
        session.rollbackQuietly(e);
        String where = run != null ? run.position() : stream != null ? stream.name() : "sync";
        String reason = where + ": " + describe(e, run);
        LOG.error("{} failed: {}", where, reason.substring(where.length() + 2));
        if (run != null) {
            var counts = run.committedCounts(pacer.requests());
            session.record(db -> SyncRunLog.finish(db, run.runId(), SyncRunLog.FAILED, counts, reason, Instant.now()));
            report(run, SyncRunLog.FAILED, reason, counts);
        } else if (stream != null) {
            StreamResult result = new StreamResult(stream.name(), null, SyncRunLog.FAILED, 0, 0, 0, 0, 0, 0, 0, 0, reason);
            session.report().add(result);
            session.observer().runFinished(result);
        }
    }

    /** One line, no secret: the API's own exceptions are already written that way; database failures say what to do. */
    private String describe(Throwable e, StreamRun run) {
        if (e == null) return "unknown failure";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException) return t.getMessage();
        }
        CacheFaults.Kind kind = CacheFaults.classify(e);
        if (kind == CacheFaults.Kind.OTHER) return secrets.redact(CacheFaults.describe(e, null));
        String text = CacheFaults.describe(e, CacheFaults.place(settings.cacheUrl()));
        if (run != null && kind == CacheFaults.Kind.CONNECTION_LOST) {
            text += "; gave up after cache.max-attempts (" + settings.cacheMaxAttempts() + "): the next sync resumes after the last committed page";
        } else if (run != null) {
            text += "; the sync stopped" + (run.committedPage() > 0 ? " after page " + run.committedPage() + " was committed" : "");
        }
        return secrets.redact(text);
    }

    private StreamResult report(StreamRun run, String status, String error) {
        return report(run, status, error, run.counts(pacer.requests()));
    }

    private StreamResult report(StreamRun run, String status, String error, SyncRunLog.RunCounts c) {
        StreamResult result = new StreamResult(run.stream().name(), run.mode(), status, c.created(), c.changed(), c.unchanged(), c.deleted(),
                c.rejected(), c.pages(), c.requests(), Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0, error);
        session.report().add(result);
        session.observer().runFinished(result);
        return result;
    }
}
