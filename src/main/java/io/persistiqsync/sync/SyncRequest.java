package io.persistiqsync.sync;

import java.util.List;

import io.persistiqsync.api.StreamDefinition;

/**
 * What one sync covers: the streams, and whether to force a full pass (read everything, mark
 * deletes) or a full refresh (forget state and rewrite).
 */
public record SyncRequest(List<StreamDefinition> streams, boolean fullPass, boolean fullRefresh) {
}
