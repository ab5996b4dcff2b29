package io.persistiqsync.sync;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import io.persistiqsync.cache.CacheRecord;
import io.persistiqsync.routes.RouteNames;

/**
 * The aggregate half of split/aggregate: gathers a page's shaped records into one {@link RecordBatch},
 * noting which the idempotent consumer let through as new or changed, so the page is written in one go.
 * A split item that is no record (a single-record lookup the API answered 404) adds nothing.
 */
public class RecordBatchStrategy implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange batchExchange, Exchange recordExchange) {
        boolean unchanged = !recordExchange.getProperty(RouteNames.RECORD_CHANGED, false, Boolean.class);
        CacheRecord record = recordExchange.getMessage().getBody() instanceof CacheRecord r ? r : null;
        if (batchExchange == null) {
            RecordBatch batch = new RecordBatch();
            if (record != null) batch.add(record, unchanged);
            recordExchange.getMessage().setBody(batch);
            // this exchange now carries the batch, and the split hands its properties back to the page:
            // a record's flag left on it would mark every record of the later pages as changed
            recordExchange.removeProperty(RouteNames.RECORD_CHANGED);
            return recordExchange;
        }
        if (record != null) batchExchange.getMessage().getBody(RecordBatch.class).add(record, unchanged);
        return batchExchange;
    }
}
