package io.qingliu.bench;

import java.util.Arrays;

/** A growable log of latencies in nanoseconds, with percentiles. Not thread-safe: one per thread. */
final class Lat {
    private long[] a = new long[1024];
    private int n;

    void add(long nanos) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = nanos;
    }

    int count() {
        return n;
    }

    void addAll(Lat other) {
        for (int i = 0; i < other.n; i++) {
            add(other.a[i]);
        }
    }

    /** The p-th percentile (0..100) in milliseconds, nearest rank; NaN when empty. */
    double pctMs(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] s = Arrays.copyOf(a, n);
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return s[Math.max(0, Math.min(n - 1, rank - 1))] / 1e6;
    }

    double meanMs() {
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[i];
        }
        return sum / n / 1e6;
    }
}
