package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A successful answer (status 200) before it is written.
 *
 * @param body the envelope; built for this request alone, so faults may change it
 * @param list set when the answer is a list, which is what the list faults change; null otherwise
 */
record ApiResponse(ObjectNode body, ListContext list) {

    /** Where the list sits in the envelope and how to link to its pages. */
    record ListContext(String key, int page, PageLinks links) {
    }
}
