package io.qingliu.capacity.progress;

import io.qingliu.api.capacity.v1.GetPlanProgressRequest;
import io.qingliu.api.capacity.v1.PlanProgress;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProgressQueries {

    public PlanProgress progress(GetPlanProgressRequest request) {
        throw new UnsupportedOperationException();
    }
}
