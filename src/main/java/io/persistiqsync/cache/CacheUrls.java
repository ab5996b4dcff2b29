package io.persistiqsync.cache;

/** Cache URLs as they may be shown: without user or password parameters. */
public final class CacheUrls {
    private CacheUrls() {
    }

    public static String withoutCredentials(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password|user|pwd)=[^&;]*", "$1=***").replaceAll("//[^/@]*@", "//***@");
    }
}
