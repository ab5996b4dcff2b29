package io.persistiqsync.routes;

/**
 * Every name the routes in {@code routes/} and the Java beans behind them share: endpoints, exchange
 * properties, headers and bean names. Java refers to these constants; the YAML spells them out, and
 * RouteNamesTest fails when a route uses a name not declared here (or this class declares one no route
 * uses), so a rename on one side cannot silently break the other.
 */
public final class RouteNames {
    private RouteNames() {
    }

    // --- endpoints ---------------------------------------------------------------------------------
    /** one sync of the selected streams (the schedule, the command line and JMX all send here) */
    public static final String SYNC_ALL = "direct:sync-all";
    /** the bounded pool (sync.max-parallel-accounts) syncs of different accounts run in side by side */
    public static final String SYNC_ACCOUNTS = "seda:sync-accounts";
    public static final String SYNC_STREAM = "direct:sync-stream";
    /** one stream, run again from its last commit when the cache's connection was lost */
    public static final String SYNC_STREAM_WITH_RETRIES = "direct:sync-stream-with-retries";
    /** one page, paced and retried, read into the stream's records */
    public static final String FETCH_PAGE = "direct:fetch-page";
    /** one request with the API's retries (pages asked ahead and single-record look-ups go here) */
    public static final String REQUEST_PAGE_WITH_RETRIES = "direct:request-page-with-retries";
    public static final String REQUEST_PAGE = "direct:request-page";
    /** after a complete full pass: the records it did not see, asked for one by one, then the rest marked deleted */
    public static final String CONFIRM_DELETES = "direct:confirm-deletes";
    /** one record by id (the body), answered as the record, or no body when the API no longer has it */
    public static final String LOOKUP_RECORD = "direct:lookup-record";

    // --- exchange properties -----------------------------------------------------------------------
    /** the SyncSession of the sync in progress (its cache, settings and pacer), put there by syncSession.open */
    public static final String SESSION = "session";
    /** the StreamRun of the stream being synced */
    public static final String STREAM_RUN = "streamRun";
    /** the path and query of the request to send */
    public static final String PAGE_PATH = "pagePath";
    public static final String PAGE_QUERY = "pageQuery";
    /** where the records are in an answer of the request (read by the envelope check) */
    public static final String RECORDS_KEY = "recordsKey";
    /** the id a single-record lookup asks for */
    public static final String LOOKUP_ID = "lookupId";
    /** set on a record the idempotent repository let through: new or changed */
    public static final String RECORD_CHANGED = "recordChanged";

    // --- headers -----------------------------------------------------------------------------------
    /** the account a sync is for (the schedule's template sets it; none: the first configured account) */
    public static final String ACCOUNT = "account";
    /** stream + id + content hash: the key the idempotent repository checks */
    public static final String RECORD_STATE_KEY = "recordStateKey";

    // --- beans (bound in SyncConfiguration) --------------------------------------------------------
    /** every account's SyncSession: open picks the exchange's account's */
    public static final String SYNC_SESSIONS = "syncSessions";
    public static final String RUN_PLANNER = "runPlanner";
    public static final String PAGE_READER = "pageReader";
    public static final String DELETE_CHECK = "deleteCheck";
    public static final String RUN_RECORDER = "runRecorder";
    public static final String RECORD_LOOKUP = "recordLookup";
    public static final String API_ACCOUNTS = "apiAccounts";
    public static final String API_RESPONSES = "apiResponses";
    public static final String PAGE_AHEAD = "pageAhead";
    public static final String RECORD_SHAPER = "recordShaper";
    public static final String RECORD_STATE = "recordState";
    public static final String RECORD_BATCH = "recordBatch";
    public static final String CACHE_WRITER = "cacheWriter";
    public static final String RATE_LIMIT_RETRY_POLICY = "rateLimitRetryPolicy";
    public static final String BACKOFF_RETRY_POLICY = "backoffRetryPolicy";
    public static final String CACHE_RETRY_POLICY = "cacheRetryPolicy";
    public static final String CACHE_RECOVERY = "cacheRecovery";
}
