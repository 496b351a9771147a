package io.qingliu.gateway.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The one profile every gateway test uses, so that the suite starts once for all of them. */
public class SuiteProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SuiteResource.class));
    }
}
