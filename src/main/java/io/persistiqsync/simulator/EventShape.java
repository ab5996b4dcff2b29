package io.persistiqsync.simulator;

/**
 * Which of the two conflicting event schemas (contract §4.12) {@code GET /v1/events} serves.
 */
public enum EventShape {
    /** The docs' shape: {@code {id, kind, event_at, user_id, user, campaign, lead, params, diff}}. */
    DOCS,
    /** The OpenAPI shape: {@code {id, event_type, data, created_at}}. */
    OAS,
    /** Both shapes in one list (alternating), since a client cannot know which one the real API sends. */
    MIXED
}
