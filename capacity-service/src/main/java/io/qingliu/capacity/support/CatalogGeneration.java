package io.qingliu.capacity.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Counts changes to what answers look up on every call and keep in memory: goal definitions
 * (written by plan writes) and divisions (written by the feed). A cached entry is good while the
 * generation it was read under is current.
 *
 * <p>The generation moves after the writing transaction commits, never before: a reader that
 * read the old rows under the old generation then finds its entry stale, and one that reads after
 * the move sees the committed rows. capacity-service is the only writer of its database (one
 * feed consumer, plans written through its API), so counting in this process is enough.
 */
@ApplicationScoped
public class CatalogGeneration {

    private final AtomicLong generation = new AtomicLong();
    private final TransactionSynchronizationRegistry transactions;

    CatalogGeneration(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    public long current() {
        return generation.get();
    }

    /** A new cache of at most {@code maxEntries} values, each good while the generation it was read under lasts. */
    public <K, V> Cache<K, V> cache(int maxEntries) {
        return new Cache<>(maxEntries);
    }

    /** Values read from the database, kept while the generation they were read under is current. */
    public final class Cache<K, V> {

        private record Entry<V>(long generation, V value) {
        }

        private final int maxEntries;
        private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

        private Cache(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        /**
         * The value kept for {@code key}, or else what {@code load} reads now (a null is not kept).
         * The generation is taken before the read: a value read while a writer commits is kept
         * under the old generation, and so dropped once the writer's commit moves it.
         */
        public V get(K key, Function<K, V> load) {
            long read = current();
            Entry<V> kept = entries.get(key);
            if (kept != null && kept.generation() == read) {
                return kept.value();
            }
            V value = load.apply(key);
            if (value != null) {
                if (entries.size() >= maxEntries) {
                    entries.clear();
                }
                entries.put(key, new Entry<>(read, value));
            }
            return value;
        }
    }

    /** Moves the generation once the current transaction has committed. */
    public void advanceAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    generation.incrementAndGet();
                }
            }
        });
    }
}
