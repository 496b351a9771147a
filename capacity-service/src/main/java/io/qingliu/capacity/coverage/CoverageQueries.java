package io.qingliu.capacity.coverage;

import io.qingliu.api.capacity.v1.SummarizeCoverageRequest;
import io.qingliu.api.capacity.v1.SummarizeCoverageResponse;
import io.qingliu.api.capacity.v1.CoverageEvidence;
import io.qingliu.api.capacity.v1.GetCoverageEvidenceRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsRequest;
import io.qingliu.api.capacity.v1.ListUncoveredUnitsResponse;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CoverageQueries {

    public SummarizeCoverageResponse summarize(SummarizeCoverageRequest request) {
        throw new UnsupportedOperationException();
    }

    public ListUncoveredUnitsResponse listUncovered(ListUncoveredUnitsRequest request) {
        throw new UnsupportedOperationException();
    }

    public CoverageEvidence evidence(GetCoverageEvidenceRequest request) {
        throw new UnsupportedOperationException();
    }
}
