package io.qingliu.kit.query;

import java.util.List;
import java.util.Objects;

/** One page of a listing and the token of the next page, empty on the last page. */
public record Page<R>(List<R> items, String nextPageToken) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(nextPageToken, "nextPageToken");
    }

    public boolean hasNext() {
        return !nextPageToken.isEmpty();
    }
}
