package io.qingliu.capacity.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.atomic.AtomicLong;

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
