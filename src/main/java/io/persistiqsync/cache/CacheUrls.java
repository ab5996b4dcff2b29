package io.persistiqsync.cache;

/** Cache URLs as they may be shown: without users, passwords, tokens or passphrases. */
public final class CacheUrls {
    private CacheUrls() {
    }

    public static String withoutCredentials(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(\\w*(?:password|pwd|token|secret|passphrase)|user)=[^&;]*", "$1=***").replaceAll("//[^/@]*@", "//***@");
    }
}
