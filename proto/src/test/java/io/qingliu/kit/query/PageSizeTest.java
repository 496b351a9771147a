package io.qingliu.kit.query;

import static io.qingliu.kit.query.QueryAssertions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PageSizeTest {

    @Test
    void zeroMeansDefault() {
        assertEquals(100, PageSize.resolve(0));
    }

    @Test
    void inRangeAsIs() {
        assertEquals(1, PageSize.resolve(1));
        assertEquals(37, PageSize.resolve(37));
        assertEquals(1000, PageSize.resolve(1000));
    }

    @Test
    void outOfRangeRejected() {
        for (int bad : new int[] {-1, -100, Integer.MIN_VALUE, 1001, Integer.MAX_VALUE}) {
            assertRejected("page_size", () -> PageSize.resolve(bad), "between 0 and 1000", "got " + bad);
        }
    }
}
