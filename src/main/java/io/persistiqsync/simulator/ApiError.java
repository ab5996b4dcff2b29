package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A request the API refuses; becomes the error envelope (contract §2, §7) with its status. */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    private ApiError(int status, String reason, String message) {
        super(message, null, false, false); // control flow, not a fault: no stack trace
        this.status = status;
        this.reason = reason;
    }

    static ApiError badParams(String message) {
        return new ApiError(400, "bad_params", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, "method_not_allowed", method + " is not supported on " + path + " by this simulator");
    }

    int status() {
        return status;
    }

    ObjectNode envelope() {
        return Json.errorEnvelope(reason, getMessage());
    }
}
