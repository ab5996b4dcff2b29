package io.persistiqsync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** --version: the build's version and the versions of what it is built on, as the build wrote them. */
public class BuildVersion implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/persistiq-sync-build.properties")) {
            if (in != null) build.load(in);
        }
        return new String[] {"persistiq-sync " + build.getProperty("version", "(unknown build)"),
                "Apache Camel " + build.getProperty("camel.version", "?") + ", DuckDB JDBC " + build.getProperty("duckdb.version", "?")
                        + ", Java " + System.getProperty("java.version")};
    }
}
