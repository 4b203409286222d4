package io.assetetl.run;

import io.assetetl.spi.SourceException;
import io.assetetl.store.DatabaseFailures;
import java.util.function.Predicate;

/**
 * Tells the failures of a run's surroundings, which a user fixes without a code change, from bugs: a source that
 * fails ({@link SourceException}: a missing file, a file without a usable header, an API that keeps failing), a
 * source already running, an injected failure, and a database that cannot be reached. The engine logs those in
 * one line, with their stack trace at {@code DEBUG}; anything else (a {@code NullPointerException}, an SQL error in
 * a statement) keeps its trace.
 */
public final class ExpectedFailures {

    private ExpectedFailures() {
    }

    /** Whether {@code failure}, or one of its causes, is a failure of the run's surroundings rather than a bug. */
    public static boolean isExpected(Throwable failure) {
        return DatabaseFailures.isUnavailable(failure) || anyCause(failure, t -> t instanceof SourceException
                || t instanceof RunRefusedException || t instanceof InjectedFailureException);
    }

    /** Whether {@code failure} or one of its causes is {@code what}. */
    public static boolean anyCause(Throwable failure, Predicate<Throwable> what) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (what.test(t)) {
                return true;
            }
        }
        return false;
    }
}
