package io.persistiqsync.sync;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.api.ApiRefusedException;
import io.persistiqsync.api.FieldType;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.cache.ColumnNames;
import io.persistiqsync.cache.StreamColumns;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.state.RecordStateRepository;
import io.persistiqsync.state.RecordStates;
import io.persistiqsync.state.StreamState;
import io.persistiqsync.state.StreamStateStore;
import io.persistiqsync.state.SyncRunLog;

/**
 * The plan stage: which mode a stream's run takes (incremental, full pass, full refresh, or the open
 * pass resumed), its _sync_runs row, its columns, and the partitions it reads. The run it opens goes on
 * the exchange ({@code streamRun}); a run whose cache connection was lost goes on as the same run.
 */
public class RunPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(RunPlanner.class);
    /** updated_after / start_at as the contract shows them: 2017-10-17T07:37:00-07:00 */
    static final DateTimeFormatter FILTER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private final RecordStateRepository recordState;

    public RunPlanner(RecordStateRepository recordState) {
        this.recordState = recordState;
    }

    /** What a run does: its mode, and whether it resumes the open pass. */
    record Plan(String mode, boolean resume) {
    }

    /**
     * The mode of a run. An open pass is resumed where it stopped, unless a full pass is asked for and the
     * open one is not: resuming an incremental pass would leave records gone from the API live. Else a full
     * refresh when asked for; a full pass when the stream cannot filter, one is asked for, none was ever
     * made, or the last is older than sync.full-pass-interval; else incremental.
     */
    static Plan plan(StreamDefinition stream, StreamState state, SyncRequest request, Instant now, Duration fullPassInterval) {
        boolean resume = state.passOpen() && !(request.fullPass() && StreamRun.INCREMENTAL.equals(state.passMode()));
        if (resume) return new Plan(state.passMode(), true);
        if (request.fullRefresh()) return new Plan(StreamRun.FULL_REFRESH, false);
        boolean fullPassDue = stream.filter() == StreamDefinition.IncrementalFilter.NONE
                || request.fullPass()
                || state.lastFullPass() == null
                || state.watermark() == null
                || Duration.between(Instant.ofEpochMilli(state.lastFullPass()), now).compareTo(fullPassInterval) >= 0;
        return new Plan(fullPassDue ? StreamRun.FULL_PASS : StreamRun.INCREMENTAL, false);
    }

    /** Chooses the mode, opens the _sync_runs row and the pass, answers the partitions to read. */
    public List<String> begin(@Body StreamDefinition stream, @ExchangeProperty(RouteNames.SESSION) SyncSession session, Exchange exchange)
            throws SQLException {
        CacheStore db = session.store();
        SyncRequest request = session.request();
        Instant now = Instant.now();
        // an earlier attempt of this run lost the cache's connection: the same run goes on (same _sync_runs row)
        StreamRun previous = exchange.getProperty(RouteNames.STREAM_RUN, StreamRun.class);
        if (previous != null && !previous.stream().name().equals(stream.name())) previous = null;
        if (previous == null) SyncRunLog.markInterrupted(db, stream.name());
        StreamState state = StreamStateStore.load(db, stream.name());
        if (previous != null && state.passOpen()) {
            StreamRun run = previous.continued(state, db.columns(stream), recordState.open(db, stream.name()));
            db.applyColumnChanges(stream, run.columns());
            db.commit();
            exchange.setProperty(RouteNames.STREAM_RUN, run);
            LOG.info("{}: going on after page {} (the cache is back)", stream.name(), state.checkpointPage());
            return partitions(db, stream, state, true);
        }
        if (request.fullRefresh()) {
            recordState.forget(db, stream.name());
            state = state.forgotten();
        }
        RecordStates states = recordState.open(db, stream.name());
        Plan plan = plan(stream, state, request, now, session.settings().fullPassInterval());
        String mode = plan.mode();

        long runId = SyncRunLog.start(db, stream.name(), mode, now, session.node());
        if (!plan.resume()) {
            String filter = mode.equals(StreamRun.INCREMENTAL)
                    ? FILTER_TIME.format(Instant.ofEpochMilli(state.watermark()).minus(session.settings().watermarkOverlap()))
                    : null;
            state = state.openPass(runId, mode, now.toEpochMilli(), filter);
        }
        StreamColumns columns = db.columns(stream);
        if (stream.flattenData()) declareLeadFields(db, columns);
        db.applyColumnChanges(stream, columns);
        StreamStateStore.save(db, state);
        db.commit();

        StreamRun run = StreamRun.open(session, stream, runId, mode, now, state, columns, states);
        exchange.setProperty(RouteNames.STREAM_RUN, run);
        LOG.info("{}: {}{}{}", stream.name(), mode, plan.resume() ? resuming(state) : "",
                state.passFilter() == null ? "" : " " + stream.filter().parameter + "=" + state.passFilter());
        if (session.keyRefused()) throw new ApiRefusedException(401, "skipped: the API refused the key for an earlier stream");
        List<String> partitions = partitions(db, stream, state, plan.resume());
        session.observer().runStarted(run, partitions.size());
        return partitions;
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
            columns.observe(RecordShaper.DATA_FIELD + "." + name, RecordShaper::dataColumn, FieldType.TEXT);
        }
    }

    private static List<String> partitions(CacheStore db, StreamDefinition stream, StreamState state, boolean resume) throws SQLException {
        return stream.parent() == null ? List.of("") : partitions(db.liveIds(stream.parent()), state, resume);
    }

    /**
     * One partition for a plain stream (""), one per live parent record for a child stream; a resumed pass
     * starts at the partition of its checkpoint.
     */
    static List<String> partitions(List<String> parentIds, StreamState state, boolean resume) {
        if (!resume || state.checkpointPartition() == null) return parentIds;
        List<String> remaining = new ArrayList<>();
        for (String id : parentIds) if (id.compareTo(state.checkpointPartition()) >= 0) remaining.add(id);
        return remaining;
    }

    /** Where a resumed pass goes on, as the log says it (a pass that committed no page yet starts again at page 1). */
    private static String resuming(StreamState state) {
        String partition = state.checkpointPartition() == null ? "" : " in " + state.checkpointPartition();
        return state.checkpointPage() > 0 ? " (resuming after page " + state.checkpointPage() + partition + ")"
                : " (resuming its open pass" + (partition.isEmpty() ? " from page 1" : partition) + ")";
    }
}
