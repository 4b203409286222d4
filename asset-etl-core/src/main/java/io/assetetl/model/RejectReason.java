package io.assetetl.model;

/**
 * The built-in reject reason codes. Adapters may use their own snake_case codes as well.
 */
public final class RejectReason {

    /** The record has no symbol. */
    public static final String MISSING_SYMBOL = "missing_symbol";
    /** The symbol cannot be a ticker (for example longer than any ticker). */
    public static final String INVALID_SYMBOL = "invalid_symbol";
    /** The name cannot be an asset's (for example longer than any asset's name). */
    public static final String INVALID_NAME = "invalid_name";
    /** The source's id of the asset cannot be one (for example longer than any id). */
    public static final String INVALID_ID = "invalid_id";
    /** The price is missing, not a number, not finite or not positive. */
    public static final String INVALID_PRICE = "invalid_price";
    /**
     * A numeric field other than the price cannot be read, or the raw record holds a number PostgreSQL cannot store
     * (then no raw row keeps it: its reject does, as text under {@code unstorable_payload}).
     */
    public static final String INVALID_NUMBER = "invalid_number";
    /** The timestamp cannot be read, or lies outside the years 1 to 9999. */
    public static final String INVALID_TIMESTAMP = "invalid_timestamp";
    /** A value could be read in more than one way (for example {@code 01/02/2024}). */
    public static final String AMBIGUOUS_VALUE = "ambiguous_value";
    /** The row cannot be split into the expected fields. */
    public static final String UNPARSEABLE_ROW = "unparseable_row";
    /** The source id is not the owner of its canonical symbol. */
    public static final String IDENTITY_CONFLICT = "identity_conflict";
    /**
     * An API item's record key is stored already with another payload: the stored one is what {@code reprocess}
     * rebuilds from, so the item is not loaded.
     */
    public static final String RECORD_KEY_CONFLICT = "record_key_conflict";

    private RejectReason() {
    }
}
