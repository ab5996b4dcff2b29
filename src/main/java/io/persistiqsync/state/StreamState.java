package io.persistiqsync.state;

/**
 * What a stream remembers between syncs ({@code _stream_state}). Times are epoch milliseconds on our clock.
 *
 * @param watermark      when the last complete read started (the next incremental read asks from here)
 * @param lastFullPass   when the last complete full pass started
 * @param passId         the pass under way (the run that began it), or null when none is open
 * @param passMode       the open pass's mode
 * @param passStarted    when the open pass started
 * @param passFilter     the open pass's filter value (e.g. updated_after), kept so a resumed pass asks the same
 * @param checkpointPartition the partition of the last committed page
 * @param checkpointPage the last committed page of that partition (0 = none yet)
 */
public record StreamState(String stream, Long watermark, Long lastFullPass, Long passId, String passMode, Long passStarted,
        String passFilter, String checkpointPartition, int checkpointPage) {

    public static StreamState empty(String stream) {
        return new StreamState(stream, null, null, null, null, null, null, null, 0);
    }

    public boolean passOpen() {
        return passId != null;
    }

    public StreamState openPass(long id, String mode, long started, String filter) {
        return new StreamState(stream, watermark, lastFullPass, id, mode, started, filter, null, 0);
    }

    public StreamState checkpoint(String partition, int page) {
        return new StreamState(stream, watermark, lastFullPass, passId, passMode, passStarted, passFilter, partition, page);
    }

    /** The pass completed: its start becomes the watermark (and the last full pass, if it was one). */
    public StreamState closePass(boolean fullPass) {
        return new StreamState(stream, passStarted, fullPass ? passStarted : lastFullPass, null, null, null, null, null, 0);
    }

    /** --full-refresh: forget the watermark, the last full pass and any open pass. */
    public StreamState forgotten() {
        return empty(stream);
    }
}
