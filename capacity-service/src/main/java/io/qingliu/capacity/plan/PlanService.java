package io.qingliu.capacity.plan;

import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.api.capacity.v1.DeletePlanRequest;
import io.qingliu.api.capacity.v1.ListPlansRequest;
import io.qingliu.api.capacity.v1.ListPlansResponse;
import io.qingliu.api.capacity.v1.Plan;
import io.qingliu.api.capacity.v1.UpdatePlanRequest;
import jakarta.enterprise.context.ApplicationScoped;

/** Plans and their coverage goals: Get/List/Create/Update/Delete. (Being written.) */
@ApplicationScoped
public class PlanService {

    public Plan get(String name) {
        throw new UnsupportedOperationException("GetPlan");
    }

    public ListPlansResponse list(ListPlansRequest request) {
        throw new UnsupportedOperationException("ListPlans");
    }

    public Plan create(CreatePlanRequest request) {
        throw new UnsupportedOperationException("CreatePlan");
    }

    public Plan update(UpdatePlanRequest request) {
        throw new UnsupportedOperationException("UpdatePlan");
    }

    public void delete(DeletePlanRequest request) {
        throw new UnsupportedOperationException("DeletePlan");
    }
}
