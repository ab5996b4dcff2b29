package io.persistiqsync.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * One request the simulator received.
 *
 * @param path          the decoded path
 * @param query         the decoded query parameters, in arrival order
 * @param apiKeyMatched whether {@code x-api-key} carried the configured key
 * @param status        the status answered; 0 when the connection was dropped without an answer
 * @param receivedAt    when the request arrived
 * @param account       the account its key reached ({@link SimulatorSettings#MAIN_ACCOUNT} or another's name); null: none
 */
public record RecordedRequest(String method, String path, Map<String, String> query, boolean apiKeyMatched,
        int status, Instant receivedAt, String account) {
}
