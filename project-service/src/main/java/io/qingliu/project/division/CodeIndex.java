package io.qingliu.project.division;

import java.util.Arrays;

/**
 * Open-addressing hash map from a numeric code (at most 18 digits) to the line it was first seen
 * on. 16 bytes per slot at most 75% load, so the 620k national villages need 16 MB instead of the
 * ~80 MB of a {@code HashMap<String, Long>}.
 */
final class CodeIndex {

    private static final long EMPTY = -1L;

    private long[] keys;
    private long[] lines;
    private int size;
    private int mask;

    CodeIndex() {
        allocate(1 << 10);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        lines = new long[capacity];
        mask = capacity - 1;
    }

    /** Records {@code key} at {@code line}; returns 0 if new, else the line it was first seen on. */
    long putIfAbsent(long key, long line) {
        int i = slot(key);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return lines[i];
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        lines[i] = line;
        if (++size > (mask + 1) * 3L / 4) {
            grow();
        }
        return 0;
    }

    int size() {
        return size;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldLines = lines;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j]);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                lines[i] = oldLines[j];
            }
        }
    }
}
