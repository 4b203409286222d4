package io.assetetl.sources.csv;

/**
 * The outcome of cleaning one cell: a value, nothing (the cell was empty or a null marker such as {@code N/A}), or a
 * problem that makes the row a reject.
 *
 * @param value   the cleaned value, or {@code null}
 * @param problem why the cell cannot be used, or {@code null}
 * @param detail  a human-readable explanation of the problem, or {@code null}
 */
record Cleaned<T>(T value, Problem problem, String detail) {

    enum Problem {
        /** The cell holds something that is not a value of the expected kind. */
        INVALID,
        /** The cell could be read in more than one way (for example {@code 01/02/2024}). */
        AMBIGUOUS
    }

    static <T> Cleaned<T> of(T value) {
        return new Cleaned<>(value, null, null);
    }

    static <T> Cleaned<T> absent() {
        return new Cleaned<>(null, null, null);
    }

    static <T> Cleaned<T> invalid(String detail) {
        return new Cleaned<>(null, Problem.INVALID, detail);
    }

    static <T> Cleaned<T> ambiguous(String detail) {
        return new Cleaned<>(null, Problem.AMBIGUOUS, detail);
    }

    boolean isAbsent() {
        return value == null && problem == null;
    }

    boolean hasProblem() {
        return problem != null;
    }
}
