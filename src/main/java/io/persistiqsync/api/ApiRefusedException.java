package io.persistiqsync.api;

/** 401/403: the key was refused. Never retried: asking again cannot help. */
public class ApiRefusedException extends ApiException {
    public ApiRefusedException(int status, String message) {
        super(status, message);
    }
}
