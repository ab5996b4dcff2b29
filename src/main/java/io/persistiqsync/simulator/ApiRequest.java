package io.persistiqsync.simulator;

/** What the routes need to know of a request; the path is decoded. */
record ApiRequest(String method, String path, QueryParams params) {
}
