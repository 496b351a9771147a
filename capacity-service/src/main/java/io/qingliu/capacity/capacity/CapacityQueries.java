package io.qingliu.capacity.capacity;

import io.qingliu.api.capacity.v1.SummarizeCapacityRequest;
import io.qingliu.api.capacity.v1.SummarizeCapacityResponse;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CapacityQueries {

    public SummarizeCapacityResponse summarize(SummarizeCapacityRequest request) {
        throw new UnsupportedOperationException();
    }
}
