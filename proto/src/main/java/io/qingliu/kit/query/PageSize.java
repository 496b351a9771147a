package io.qingliu.kit.query;

/** AIP-158 page size: 0 means {@value #DEFAULT}; 1 to {@value #MAX} as requested. */
public final class PageSize {

    public static final int DEFAULT = 100;
    public static final int MAX = 1000;

    private PageSize() {
    }

    /** @throws QueryException on {@code page_size} when negative or above {@value #MAX} */
    public static int resolve(int requested) {
        if (requested == 0) {
            return DEFAULT;
        }
        if (requested < 0 || requested > MAX) {
            throw new QueryException(QueryException.PAGE_SIZE, "page_size must be between 0 and " + MAX
                    + " (0 means " + DEFAULT + "), got " + requested);
        }
        return requested;
    }
}
