package io.persistiqsync.api;

/** 404: e.g. a campaign removed while its child streams were being read. */
public class NotFoundException extends ApiException {
    public NotFoundException(String message) {
        super(404, message);
    }
}
