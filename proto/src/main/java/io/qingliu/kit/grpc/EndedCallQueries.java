package io.qingliu.kit.grpc;

import io.agroal.api.AgroalPoolInterceptor;
import io.grpc.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Cancels the statement a connection is running when the gRPC call it works for ends: its
 * deadline passed ({@link CallTimeLimit}) or its client cancelled. The connection is watched from
 * the moment the call's thread takes it from the pool until it goes back; work no call asked for
 * (the feed's watchers, start-up imports) runs outside any call and is never cancelled. The
 * cancel goes to PostgreSQL on a connection of its own, so the normal path costs no round trip.
 * A service makes it a bean with a subclass (Agroal calls every such bean).
 */
public class EndedCallQueries implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(EndedCallQueries.class);

    /** A connection lent to a call: cancelled only while still lent (once back it may serve another call). */
    private static final class Loan implements Context.CancellationListener {
        final PGConnection connection;
        final Context context;
        boolean lent = true;

        Loan(PGConnection connection, Context context) {
            this.connection = connection;
            this.context = context;
        }

        @Override
        public synchronized void cancelled(Context context) {
            if (!lent) {
                return;
            }
            try {
                connection.cancelQuery();
            } catch (SQLException e) {
                LOG.debugf("could not cancel the statement of an ended call: %s", e.getMessage());
            }
        }

        synchronized void end() {
            lent = false;
            context.removeListener(this);
        }
    }

    /**
     * The loans by physical connection: Agroal hands the interceptors a wrapper that is closed once
     * they return, and another one at the return, so only the driver's connection identifies it.
     */
    private final Map<PGConnection, Loan> loans = new ConcurrentHashMap<>();

    @Override
    public void onConnectionAcquire(Connection connection) {
        Context context = Context.current();
        if (context == Context.ROOT) {
            return;
        }
        PGConnection physical = physical(connection);
        if (physical == null) {
            return;
        }
        Loan loan = new Loan(physical, context);
        loans.put(physical, loan);
        // Runs at once, on this thread, if the call has already ended.
        context.addListener(loan, Runnable::run);
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        if (loans.isEmpty()) {
            return;
        }
        PGConnection physical = physical(connection);
        Loan loan = physical == null ? null : loans.remove(physical);
        if (loan != null) {
            loan.end();
        }
    }

    private static PGConnection physical(Connection connection) {
        try {
            return connection.unwrap(PGConnection.class);
        } catch (SQLException e) {
            return null;
        }
    }
}
