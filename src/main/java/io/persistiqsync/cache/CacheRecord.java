package io.persistiqsync.cache;

/**
 * One API record shaped for the cache: its id, its content hash and its column values as text
 * (the database casts them to the column types), or the reason it cannot be stored.
 *
 * @param stream    the stream it belongs to
 * @param id        the record's id (null when the record has none)
 * @param hash      content hash of the record as the API sent it
 * @param values    the value of each column as text (null for SQL NULL), at the column's
 *                  {@link StreamColumns.Column#position()}; shorter than the columns when later ones were added after it
 * @param rawJson   the record as the API sent it, for refused records (null for accepted ones)
 * @param rejection why it cannot be stored, or null when it can
 */
public record CacheRecord(String stream, String id, String hash, String[] values, String rawJson, String rejection) {

    public boolean isAccepted() {
        return rejection == null;
    }

    /** The key the idempotent repository remembers: stream, id and content hash. */
    public String stateKey() {
        return stream + "/" + id + "/" + hash;
    }

    // Identity equality: records are many and big; hashing their values (as Camel's bean cache does
    // when a route calls a method on the body) would cost more than the rest of the shaping.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
