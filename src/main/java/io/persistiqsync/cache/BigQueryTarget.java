package io.persistiqsync.cache;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A BigQuery cache, {@code bigquery://PROJECT/DATASET} (optionally {@code ?location=EU}, where a dataset
 * this sink creates is made): the dataset the tables land in, and the local DuckDB working file the sync
 * itself runs on (record state, stream state, run log, and every table as committed). Nothing here
 * talks to Google: {@link BigQueryTables} does, and only once a commit has something to send.
 *
 * @param project         the Google Cloud project, from the URL only (the client never looks one up)
 * @param dataset         the dataset, created if missing
 * @param location        where a created dataset is made (null: BigQuery's default, US)
 * @param workingFile     the local DuckDB file ({@code cache.bigquery.working-file})
 * @param host            the API root, e.g. {@code http://127.0.0.1:9050} for a local stand-in; null = Google's
 * @param credentialsFile a service account key ({@code cache.bigquery.credentials-file}); null = none given
 */
public record BigQueryTarget(String project, String dataset, String location, Path workingFile, URI host, Path credentialsFile) {
    public static final String SCHEME = "bigquery://";
    /** the driver properties SyncSettings.cacheTarget() hands over for bigquery:// URLs */
    static final String CREDENTIALS_FILE = "bigquery.credentials-file";
    static final String HOST = "bigquery.host";
    static final String WORKING_FILE = "bigquery.working-file";
    private static final String DEFAULT_WORKING_FILE = "persistiq-bigquery.duckdb";
    /** project ids: letters, digits, hyphens (domain-scoped ones add "example.com:") */
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]*");
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
    private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9-]+");

    public static boolean is(String url) {
        return url != null && url.startsWith(SCHEME);
    }

    /** The BigQuery side of a bigquery:// target, checked: a bad URL or host fails here with one line. */
    public static BigQueryTarget of(CacheTarget target) throws SQLException {
        String url = target.url();
        String rest = url.substring(SCHEME.length());
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String[] parts = rest.split("/", -1);
        if (parts.length != 2 || !PROJECT.matcher(parts[0]).matches() || !DATASET.matcher(parts[1]).matches()) {
            throw new SQLException(url + " is not bigquery://PROJECT/DATASET (a dataset name has letters, digits and underscores only)");
        }
        String location = null;
        if (query != null && !query.isEmpty()) {
            for (String param : query.split("&")) {
                String[] kv = param.split("=", 2);
                String value = kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                if (!kv[0].equals("location") || !LOCATION.matcher(value).matches()) {
                    throw new SQLException(url + ": the only parameter a bigquery:// URL takes is location (e.g. ?location=EU)");
                }
                location = value;
            }
        }
        Properties props = target.driverProperties();
        String file = props.getProperty(WORKING_FILE, "").isBlank() ? DEFAULT_WORKING_FILE : props.getProperty(WORKING_FILE).trim();
        String credentials = props.getProperty(CREDENTIALS_FILE, "").trim();
        return new BigQueryTarget(parts[0], parts[1], location, Path.of(file), host(props.getProperty(HOST, "").trim()),
                credentials.isEmpty() ? null : Path.of(credentials));
    }

    /** As the PersistIQ base URL: https, plain http only on loopback (a key's tokens never cross a network in clear). */
    private static URI host(String value) throws SQLException {
        if (value.isEmpty()) return null;
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new SQLException("cache.bigquery.host '" + value + "' is not a URL");
        }
        if (uri.getHost() == null || uri.getScheme() == null || uri.getRawQuery() != null) {
            throw new SQLException("cache.bigquery.host '" + value + "' is not a URL such as https://bigquery.googleapis.com");
        }
        if (!uri.getScheme().equals("https") && !(uri.getScheme().equals("http") && isLoopback(uri.getHost()))) {
            throw new SQLException("cache.bigquery.host must be https (plain http is allowed only on loopback)");
        }
        return uri;
    }

    /** By its literal name only: no lookup (a name that needs DNS is not loopback here). */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }

    /** Whether the API root is a stand-in on this machine (the one case where no credentials are needed). */
    public boolean loopbackHost() {
        return host != null && isLoopback(host.getHost());
    }

    /** The JDBC URL of the working file. */
    public String jdbcUrl() {
        return "jdbc:duckdb:" + workingFile;
    }
}
