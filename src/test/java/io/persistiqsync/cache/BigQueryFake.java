package io.persistiqsync.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import org.duckdb.DuckDBConnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for BigQuery on loopback: exactly the v2 REST calls the sink makes through Google's client
 * (datasets get/insert, tables get/insert/patch, the resumable upload of a load job, jobs insert/get,
 * getQueryResults and jobs.query), answered in the shapes of Google's published REST reference, and an
 * OAuth token endpoint for a service account key whose token_uri points here. Tables live in an
 * in-process DuckDB database, one schema per dataset; the few GoogleSQL forms the sink sends (backtick
 * names, MERGE, SELECT * REPLACE, CAST to STRING/FLOAT64, TO_JSON_STRING, a transaction script) run
 * there as they are, with the names translated.
 *
 * <p>It counts what a warehouse bills (load jobs, queries) and keeps every request line, so tests can
 * say what a sync cost and that nothing else was asked. Like BigQuery it refuses a load row with a
 * field the schema does not have, a patch that drops or retypes a column, and an existing name.
 */
final class BigQueryFake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BACKTICKED = Pattern.compile("`((?:[^`\\\\]|\\\\.)*)`");
    private static final String API = "/bigquery/v2/projects/";
    private static final String UPLOAD = "/upload/bigquery/v2/projects/";

    private final String project;
    private final HttpServer server;
    private final Connection db;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger loadJobs = new AtomicInteger();
    private final AtomicInteger queryJobs = new AtomicInteger();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final Map<String, ObjectNode> jobs = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    /** query jobs still to refuse; and whether a refused one is run first (its effect stays, only the answer is lost) */
    private final AtomicInteger queriesToFail = new AtomicInteger();
    private volatile boolean failAfterRunning;

    private record Upload(ObjectNode job, ByteArrayOutputStream bytes) {
    }

    /** An error answered as Google's APIs answer them: {"error": {code, message, errors: [{reason}], status}}. */
    private static final class ApiError extends Exception {
        final int code;
        final String reason;

        ApiError(int code, String reason, String message) {
            super(message);
            this.code = code;
            this.reason = reason;
        }
    }

    private BigQueryFake(String project) throws IOException, SQLException {
        this.project = project;
        this.db = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = db.createStatement()) {
            // GoogleSQL names DuckDB does not know; STRING, INT64 and BOOL it knows already
            s.execute("CREATE TYPE FLOAT64 AS DOUBLE");
            s.execute("CREATE MACRO to_json_string(x) AS CAST(x AS VARCHAR)");
        }
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start(); // one dispatcher thread: requests are answered one at a time, in order
    }

    static BigQueryFake start(String project) throws IOException, SQLException {
        return new BigQueryFake(project);
    }

    /** The API root, as cache.bigquery.host takes it. */
    String url() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** A connection to the stored tables (schema = dataset), for the tests' queries. */
    Connection connect() throws SQLException {
        return db.unwrap(DuckDBConnection.class).duplicate();
    }

    /** "METHOD /path" of every request, in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** The SQL of every query job, as the client sent it. */
    List<String> queries() {
        return List.copyOf(queries);
    }

    /** Authorization headers of API requests (the token endpoint's excluded). */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    int loadJobs() {
        return loadJobs.get();
    }

    /** Query jobs (jobs.insert with a query, and jobs.query). */
    int queryJobs() {
        return queryJobs.get();
    }

    int tokensIssued() {
        return tokensIssued.get();
    }

    /** The next {@code n} query jobs fail; {@code afterRunning}: their statements run first, only the answer says failed. */
    void failQueries(int n, boolean afterRunning) {
        failAfterRunning = afterRunning;
        queriesToFail.set(n);
    }

    // --- HTTP ------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
        if (method.equals("POST") && override != null) method = override; // the client sends PATCH this way
        String path = exchange.getRequestURI().getRawPath();
        requests.add(method + " " + path);
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // the client compresses JSON bodies, as Google's APIs allow
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            if (path.equals("/token")) {
                reply(exchange, 200, token(new String(body, StandardCharsets.UTF_8)));
                return;
            }
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Map<String, String> params = params(exchange.getRequestURI().getRawQuery());
            if (path.startsWith(UPLOAD)) {
                upload(exchange, method, path.substring(UPLOAD.length()), params, body);
                return;
            }
            if (!path.startsWith(API)) throw new ApiError(404, "notFound", "Not found: URL " + path);
            String[] p = path.substring(API.length()).split("/");
            if (!p[0].equals(project)) throw new ApiError(404, "notFound", "Not found: Project " + p[0]);
            reply(exchange, 200, route(method, p, body));
        } catch (ApiError e) {
            reply(exchange, e.code, error(e));
        } catch (IOException | RuntimeException | SQLException e) {
            // a fault of the stand-in itself: said in the answer, so a test shows it instead of a dropped connection
            reply(exchange, 500, error(new ApiError(500, "internalError", "BigQueryFake: " + e)));
        }
    }

    private ObjectNode route(String method, String[] p, byte[] body) throws ApiError, SQLException, IOException {
        String resource = p.length > 1 ? p[1] : "";
        if (resource.equals("datasets") && p.length == 2 && method.equals("POST")) return insertDataset(JSON.readTree(body));
        if (resource.equals("datasets") && p.length == 3 && method.equals("GET")) return dataset(p[2]);
        if (resource.equals("datasets") && p.length == 4 && p[3].equals("tables") && method.equals("POST")) return insertTable(p[2], JSON.readTree(body));
        if (resource.equals("datasets") && p.length == 5 && p[3].equals("tables") && method.equals("GET")) return table(p[2], p[4]);
        if (resource.equals("datasets") && p.length == 5 && p[3].equals("tables") && method.equals("PATCH")) return patchTable(p[2], p[4], JSON.readTree(body));
        if (resource.equals("jobs") && p.length == 2 && method.equals("POST")) return insertJob((ObjectNode) JSON.readTree(body));
        if (resource.equals("jobs") && p.length == 3 && method.equals("GET")) return job(p[2]);
        if (resource.equals("queries") && p.length == 3 && method.equals("GET")) return queryResults(p[2]);
        if (resource.equals("queries") && p.length == 2 && method.equals("POST")) return query(JSON.readTree(body));
        throw new ApiError(404, "notFound", "Not found: " + method + " " + String.join("/", p));
    }

    private static void reply(HttpExchange exchange, int code, ObjectNode body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        // a connection per request: the server writes headers and body apart, and on a kept-alive connection
        // the body then waits out the client's delayed ACK (~40 ms a request)
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static ObjectNode error(ApiError e) {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode inner = error.putObject("error").put("code", e.code).put("message", e.getMessage());
        inner.putArray("errors").addObject().put("message", e.getMessage()).put("domain", "global").put("reason", e.reason);
        inner.put("status", switch (e.code) {
            case 400 -> "INVALID_ARGUMENT";
            case 404 -> "NOT_FOUND";
            case 409 -> "ALREADY_EXISTS";
            default -> "INTERNAL";
        });
        return error;
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null) return out;
        for (String kv : rawQuery.split("&")) {
            String[] parts = kv.split("=", 2);
            out.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    /** OAuth 2.0 token endpoint (RFC 7523 JWT bearer grant, as a service account key asks). */
    private ObjectNode token(String form) throws ApiError {
        Map<String, String> f = params(form);
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(f.get("grant_type")) || f.getOrDefault("assertion", "").split("\\.").length != 3) {
            throw new ApiError(400, "invalid_grant", "not a JWT bearer grant");
        }
        return JSON.createObjectNode().put("access_token", "fake-token-" + tokensIssued.incrementAndGet()).put("expires_in", 3600)
                .put("token_type", "Bearer");
    }

    // --- datasets and tables -----------------------------------------------------------------------

    private ObjectNode insertDataset(JsonNode body) throws ApiError, SQLException {
        String dataset = body.path("datasetReference").path("datasetId").asText();
        if (datasetExists(dataset)) throw new ApiError(409, "duplicate", "Already Exists: Dataset " + project + ":" + dataset);
        execute("CREATE SCHEMA " + q(dataset));
        return dataset(dataset);
    }

    private ObjectNode dataset(String dataset) throws ApiError, SQLException {
        if (!datasetExists(dataset)) throw new ApiError(404, "notFound", "Not found: Dataset " + project + ":" + dataset);
        ObjectNode d = JSON.createObjectNode().put("kind", "bigquery#dataset").put("id", project + ":" + dataset);
        d.putObject("datasetReference").put("projectId", project).put("datasetId", dataset);
        return d.put("location", "US");
    }

    private ObjectNode insertTable(String dataset, JsonNode body) throws ApiError, SQLException {
        String table = body.path("tableReference").path("tableId").asText();
        dataset(dataset);
        if (columns(dataset, table) != null) throw new ApiError(409, "duplicate", "Already Exists: Table " + project + ":" + dataset + "." + table);
        execute("CREATE TABLE " + q(dataset) + "." + q(table) + " (" + columnsDdl(body.path("schema").path("fields")) + ")");
        return table(dataset, table);
    }

    private ObjectNode table(String dataset, String table) throws ApiError, SQLException {
        LinkedHashMap<String, String> columns = columns(dataset, table);
        if (columns == null) throw new ApiError(404, "notFound", "Not found: Table " + project + ":" + dataset + "." + table);
        ObjectNode t = JSON.createObjectNode().put("kind", "bigquery#table").put("id", project + ":" + dataset + "." + table).put("type", "TABLE");
        t.putObject("tableReference").put("projectId", project).put("datasetId", dataset).put("tableId", table);
        ArrayNode fields = t.putObject("schema").putArray("fields");
        columns.forEach((name, type) -> fields.addObject().put("name", name).put("type", type).put("mode", "NULLABLE"));
        return t;
    }

    /** A patch may only add columns (BigQuery refuses dropping or retyping one this way). */
    private ObjectNode patchTable(String dataset, String table, JsonNode body) throws ApiError, SQLException {
        LinkedHashMap<String, String> existing = columns(dataset, table);
        if (existing == null) throw new ApiError(404, "notFound", "Not found: Table " + project + ":" + dataset + "." + table);
        Map<String, String> given = new LinkedHashMap<>();
        for (JsonNode f : body.path("schema").path("fields")) given.put(f.path("name").asText(), legacyType(f.path("type").asText()));
        for (Map.Entry<String, String> e : existing.entrySet()) {
            if (!given.containsKey(e.getKey())) throw new ApiError(400, "invalid", "Provided Schema does not match Table: field " + e.getKey() + " is missing");
            if (!given.get(e.getKey()).equals(e.getValue())) {
                throw new ApiError(400, "invalid", "Provided Schema does not match Table: field " + e.getKey() + " has changed type from "
                        + e.getValue() + " to " + given.get(e.getKey()));
            }
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!existing.containsKey(e.getKey())) {
                execute("ALTER TABLE " + q(dataset) + "." + q(table) + " ADD COLUMN " + q(e.getKey()) + " " + duckDbType(e.getValue()));
            }
        }
        return table(dataset, table);
    }

    /** name -> legacy type name (as the REST API answers), in column order; null when there is no such table. */
    private LinkedHashMap<String, String> columns(String dataset, String table) throws SQLException {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        try (var s = db.prepareStatement("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position")) {
            s.setString(1, dataset);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), switch (rs.getString(2)) {
                        case "VARCHAR" -> "STRING";
                        case "BIGINT" -> "INTEGER";
                        case "DOUBLE" -> "FLOAT";
                        case "BOOLEAN" -> "BOOLEAN";
                        case "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP";
                        case "JSON" -> "JSON";
                        default -> throw new IllegalStateException("a column of type " + rs.getString(2));
                    });
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    private boolean datasetExists(String dataset) throws SQLException {
        try (var s = db.prepareStatement("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            s.setString(1, dataset);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static String columnsDdl(JsonNode fields) throws ApiError {
        List<String> columns = new ArrayList<>();
        for (JsonNode f : fields) columns.add(q(f.path("name").asText()) + " " + duckDbType(legacyType(f.path("type").asText())));
        if (columns.isEmpty()) throw new ApiError(400, "invalid", "a table needs a schema");
        return String.join(", ", columns);
    }

    /** The REST API accepts both the legacy names and GoogleSQL's; it answers with the legacy ones. */
    private static String legacyType(String type) throws ApiError {
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "STRING" -> "STRING";
            case "INTEGER", "INT64" -> "INTEGER";
            case "FLOAT", "FLOAT64" -> "FLOAT";
            case "BOOLEAN", "BOOL" -> "BOOLEAN";
            case "TIMESTAMP" -> "TIMESTAMP";
            case "JSON" -> "JSON";
            default -> throw new ApiError(400, "invalid", "a type this stand-in does not know: " + type);
        };
    }

    private static String duckDbType(String legacyType) {
        return switch (legacyType) {
            case "STRING" -> "VARCHAR";
            case "INTEGER" -> "BIGINT";
            case "FLOAT" -> "DOUBLE";
            case "BOOLEAN" -> "BOOLEAN";
            case "TIMESTAMP" -> "TIMESTAMPTZ";
            default -> "JSON";
        };
    }

    // --- jobs ------------------------------------------------------------------------------------------

    /**
     * Google's resumable upload: a POST with the job opens a session (its URL in Location), PUTs carry
     * the bytes with Content-Range ("bytes a-b/*" for a chunk: 308 and the Range received; ".../total"
     * for the last: the job), and the load runs when the last byte is in.
     */
    private void upload(HttpExchange exchange, String method, String rest, Map<String, String> params, byte[] body) throws IOException, ApiError,
            SQLException {
        if (!rest.equals(project + "/jobs") || !"resumable".equals(params.get("uploadType"))) throw new ApiError(404, "notFound", "Not found: upload " + rest);
        if (method.equals("POST")) {
            ObjectNode job = (ObjectNode) JSON.readTree(body);
            if (job.path("configuration").path("load").isMissingNode()) throw new ApiError(400, "invalid", "an upload needs a load job");
            String id = UUID.randomUUID().toString();
            uploads.put(id, new Upload(job, new ByteArrayOutputStream()));
            exchange.getResponseHeaders().set("Location", url() + UPLOAD + project + "/jobs?uploadType=resumable&upload_id=" + id);
            reply(exchange, 200, null);
            return;
        }
        Upload upload = method.equals("PUT") ? uploads.get(params.getOrDefault("upload_id", "")) : null;
        if (upload == null) throw new ApiError(404, "notFound", "Not found: upload session");
        Matcher range = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)").matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Range")));
        if (!range.matches()) throw new ApiError(400, "invalid", "a Content-Range header is expected");
        if (range.group(1) != null && Long.parseLong(range.group(1)) != upload.bytes().size()) throw new ApiError(400, "invalid", "bytes out of order");
        upload.bytes().write(body);
        if (range.group(3).equals("*")) {
            // no Location on a 308: the client reads it as "resume incomplete", not as a redirect
            exchange.getResponseHeaders().set("Range", "bytes=0-" + (upload.bytes().size() - 1));
            reply(exchange, 308, null);
            return;
        }
        uploads.remove(params.get("upload_id"));
        reply(exchange, 200, runLoad(upload.job(), upload.bytes().toByteArray()));
    }

    /** jobs.insert: query jobs (a load job without an upload would need Cloud Storage, which the sink never uses). */
    private ObjectNode insertJob(ObjectNode job) throws ApiError, SQLException {
        JsonNode query = job.path("configuration").path("query");
        if (query.isMissingNode()) throw new ApiError(400, "invalid", "only query jobs are inserted without an upload");
        if (query.path("useLegacySql").asBoolean(true)) throw new ApiError(400, "invalid", "legacy SQL: the sink sends GoogleSQL");
        if (jobs.containsKey(jobId(job))) throw new ApiError(409, "duplicate", "Already Exists: Job " + project + ":US." + jobId(job));
        queryJobs.incrementAndGet();
        return finish(job, runQuery(query.path("query").asText()));
    }

    /** jobs.query: a query run at once, answered with its (empty) result. */
    private ObjectNode query(JsonNode request) throws ApiError, SQLException {
        ObjectNode job = JSON.createObjectNode();
        job.putObject("jobReference").put("projectId", project).put("jobId", "query_" + UUID.randomUUID());
        job.putObject("configuration").putObject("query").put("query", request.path("query").asText()).put("useLegacySql", false);
        queryJobs.incrementAndGet();
        finish(job, runQuery(request.path("query").asText()));
        return queryResults(jobId(job));
    }

    private ObjectNode job(String id) throws ApiError {
        ObjectNode job = jobs.get(id);
        if (job == null) throw new ApiError(404, "notFound", "Not found: Job " + project + ":" + id);
        return job;
    }

    /** getQueryResults: complete at once (DML and DDL return no rows); a failed job answers its error. */
    private ObjectNode queryResults(String id) throws ApiError {
        ObjectNode job = job(id);
        JsonNode failure = job.path("status").path("errorResult");
        if (!failure.isMissingNode()) throw new ApiError(400, failure.path("reason").asText(), failure.path("message").asText());
        ObjectNode out = JSON.createObjectNode().put("kind", "bigquery#getQueryResultsResponse").put("jobComplete", true).put("totalRows", "0");
        out.set("jobReference", job.path("jobReference"));
        return out;
    }

    private static String jobId(JsonNode job) {
        return job.path("jobReference").path("jobId").asText();
    }

    /** The job as BigQuery shows it once done: with its errorResult when it failed. */
    private ObjectNode finish(ObjectNode job, String failure) {
        ObjectNode reference = (ObjectNode) job.path("jobReference");
        reference.put("projectId", project);
        if (!reference.has("location")) reference.put("location", "US");
        job.put("kind", "bigquery#job").put("id", project + ":" + reference.path("location").asText() + "." + jobId(job));
        ObjectNode status = job.putObject("status").put("state", "DONE");
        if (failure != null) {
            ObjectNode error = status.putObject("errorResult").put("reason", "invalidQuery").put("message", failure);
            status.putArray("errors").add(error.deepCopy());
        }
        long now = System.currentTimeMillis();
        job.putObject("statistics").put("creationTime", Long.toString(now)).put("startTime", Long.toString(now)).put("endTime", Long.toString(now));
        jobs.put(jobId(job), job);
        return job;
    }

    /** Runs a load (NEWLINE_DELIMITED_JSON into one table, WRITE_TRUNCATE or WRITE_APPEND); answers the job. */
    private ObjectNode runLoad(ObjectNode job, byte[] data) throws ApiError, SQLException, IOException {
        loadJobs.incrementAndGet();
        JsonNode load = job.path("configuration").path("load");
        String failure = null;
        try {
            if (!"NEWLINE_DELIMITED_JSON".equals(load.path("sourceFormat").asText())) throw new ApiError(400, "invalid", "only NEWLINE_DELIMITED_JSON here");
            JsonNode destination = load.path("destinationTable");
            String dataset = destination.path("datasetId").asText();
            String table = destination.path("tableId").asText();
            dataset(dataset);
            JsonNode fields = load.path("schema").path("fields");
            Map<String, String> schema = new LinkedHashMap<>();
            for (JsonNode f : fields) schema.put(f.path("name").asText(), duckDbType(legacyType(f.path("type").asText())));
            int line = 0;
            for (String row : new String(data, StandardCharsets.UTF_8).split("\n")) {
                line++;
                if (row.isBlank()) continue;
                for (Iterator<String> names = JSON.readTree(row).fieldNames(); names.hasNext();) {
                    String name = names.next();
                    if (!schema.containsKey(name)) throw new ApiError(400, "invalid", "Error while reading data, line " + line + ": no such field: " + name);
                }
            }
            String name = q(dataset) + "." + q(table);
            boolean replace = "WRITE_TRUNCATE".equals(load.path("writeDisposition").asText()) || columns(dataset, table) == null;
            Path file = Files.createTempFile("bigquery-fake-", ".json");
            // all or nothing, as a load job is
            try (Connection c = connect(); Statement s = c.createStatement()) {
                Files.write(file, data);
                c.setAutoCommit(false);
                if (replace) s.execute("CREATE OR REPLACE TABLE " + name + " (" + columnsDdl(fields) + ")");
                String spec = schema.entrySet().stream().map(e -> "'" + e.getKey().replace("'", "''") + "': '" + e.getValue() + "'")
                        .collect(Collectors.joining(", "));
                s.execute("INSERT INTO " + name + " SELECT * FROM read_json('" + file + "', columns = {" + spec + "}, format = 'newline_delimited')");
                c.commit();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (ApiError | SQLException e) {
            failure = e.getMessage();
        }
        if (!job.has("jobReference")) job.putObject("jobReference").put("jobId", "upload_" + UUID.randomUUID());
        return finish(job, failure);
    }

    /** Runs a query or a script of them (split at semicolons; the sink's SQL has none inside names or strings). Answers a failure or null. */
    private String runQuery(String sql) throws SQLException {
        queries.add(sql);
        boolean fail = queriesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (fail && !failAfterRunning) return "injected failure";
        // a connection of its own: closing it rolls back a script's transaction that a statement broke off
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql.split(";")) {
                if (!statement.isBlank()) s.execute(translate(statement));
            }
        } catch (SQLException e) {
            return e.getMessage();
        }
        return fail ? "injected failure after the statements ran" : null;
    }

    /** GoogleSQL's backtick names as DuckDB's: `project.dataset.table` -> "dataset"."table", `col` -> "col". */
    private String translate(String sql) {
        Matcher m = BACKTICKED.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).replace("\\`", "`").replace("\\\\", "\\");
            String[] parts = name.split("\\.");
            String replacement = parts.length == 3 && parts[0].equals(project) ? q(parts[1]) + "." + q(parts[2]) : q(name);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws SQLException {
        server.stop(0);
        db.close();
    }
}
