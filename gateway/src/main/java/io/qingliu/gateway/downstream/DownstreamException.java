package io.qingliu.gateway.downstream;

import io.grpc.StatusRuntimeException;

/** A call to a service failed; carries which service and the status it (or the channel) gave. */
public final class DownstreamException extends RuntimeException {

    private final Service service;
    private final StatusRuntimeException status;

    public DownstreamException(Service service, StatusRuntimeException status) {
        super(service.displayName() + ": " + status.getStatus(), status, false, false);
        this.service = service;
        this.status = status;
    }

    public Service service() {
        return service;
    }

    public StatusRuntimeException status() {
        return status;
    }
}
