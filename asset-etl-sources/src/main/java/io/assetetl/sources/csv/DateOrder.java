package io.assetetl.sources.csv;

import io.assetetl.spi.InvalidSourceConfigException;
import java.util.Locale;

/**
 * How to read an all-numeric date whose day and month could be swapped, such as {@code 01/02/2024}.
 */
public enum DateOrder {
    /** Day first: {@code 01/02/2024} is 1 February 2024. */
    DMY,
    /** Month first: {@code 01/02/2024} is 2 January 2024. */
    MDY,
    /** Not configured: an ambiguous date is a reject ({@code ambiguous_value}), never a guess. */
    UNSPECIFIED;

    /** Parses a {@code date_order} setting: {@code DMY} or {@code MDY}, in any case. */
    public static DateOrder parse(String setting) {
        try {
            DateOrder order = valueOf(setting.trim().toUpperCase(Locale.ROOT));
            if (order != UNSPECIFIED) {
                return order;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidSourceConfigException("setting 'date_order' must be DMY or MDY: " + setting);
    }
}
