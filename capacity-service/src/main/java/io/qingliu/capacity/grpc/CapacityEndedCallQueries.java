package io.qingliu.capacity.grpc;

import io.qingliu.kit.grpc.EndedCallQueries;
import jakarta.enterprise.context.ApplicationScoped;

/** The statements of the service's calls end with their calls. */
@ApplicationScoped
public class CapacityEndedCallQueries extends EndedCallQueries {
}
