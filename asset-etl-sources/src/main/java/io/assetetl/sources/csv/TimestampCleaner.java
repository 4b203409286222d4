package io.assetetl.sources.csv;

import static io.assetetl.sources.csv.ValueCleaner.abbreviate;
import static io.assetetl.sources.csv.ValueCleaner.isAbsent;
import static io.assetetl.sources.csv.ValueCleaner.isDigits;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure functions that read the timestamps of real-world CSV files as instants. Nothing here guesses: a date
 * that reads two ways is {@link Cleaned.Problem#AMBIGUOUS} unless the day/month order is configured, and so is a
 * local time the clocks of the file's time zone showed twice (when they were set back).
 */
final class TimestampCleaner {

    private static final Pattern NUMERIC_DATE = Pattern.compile(
            "^(\\d{1,2})[/.\\-](\\d{1,2})[/.\\-](\\d{4})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$");
    private static final DateTimeFormatter ISO_FLEXIBLE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart()
            .appendOffsetId()
            .optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private TimestampCleaner() {
    }

    /** {@link #clean(String, DateOrder, ZoneId)} of a file whose times without an offset are UTC. */
    static Cleaned<Instant> clean(String cell, DateOrder order) {
        return clean(cell, order, ZoneOffset.UTC);
    }

    /**
     * A timestamp: ISO-8601 with {@code Z}, an offset or no zone, a date alone (its midnight), a space instead of
     * {@code T}, a trailing {@code UTC}, epoch seconds (9-10 digits, optionally with a fraction) or milliseconds
     * (11-13 digits), {@code yyyyMMdd}, and numeric day/month dates ({@code 15/01/2024}, {@code 01.02.2024 10:30})
     * whose order is either evident or given by {@code order}. A time or date without an offset is one of
     * {@code zone}: one its clocks skipped (set forward) is invalid, one they showed twice is ambiguous.
     */
    static Cleaned<Instant> clean(String cell, DateOrder order, ZoneId zone) {
        if (isAbsent(cell)) {
            return Cleaned.absent();
        }
        String s = cell.strip();
        try {
            char first = s.charAt(0);
            if (first >= '0' && first <= '9' && isEpochLike(s)) {
                return epoch(s, cell, zone);
            }
            if (s.length() >= 10 && isDigits(s, 0, 4) && isDateSeparator(s.charAt(4))) {
                return iso(s, cell, zone);
            }
            Matcher m = NUMERIC_DATE.matcher(s);
            if (m.matches()) {
                return dayMonth(m, order, cell, zone);
            }
        } catch (DateTimeException | ArithmeticException e) {
            return Cleaned.invalid("not a timestamp: '" + abbreviate(cell) + "'");
        }
        return Cleaned.invalid("not a timestamp: '" + abbreviate(cell) + "'");
    }

    private static Cleaned<Instant> iso(String s, String cell, ZoneId zone) {
        StringBuilder b = new StringBuilder(s.length() + 6);
        b.append(s, 0, 4).append('-');
        b.append(s, 5, s.length());
        if (b.length() > 7 && isDateSeparator(b.charAt(7))) {
            b.setCharAt(7, '-');
        }
        if (b.length() > 10 && b.charAt(10) == ' ') {
            b.setCharAt(10, 'T');
        }
        String t = b.toString();
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.endsWith(" UTC") || upper.endsWith(" GMT")) {
            t = t.substring(0, t.length() - 4) + "Z";
        } else if (upper.endsWith("UTC") || upper.endsWith("GMT")) {
            t = t.substring(0, t.length() - 3) + "Z";
        }
        t = normalizeOffset(t);
        TemporalAccessor parsed = ISO_FLEXIBLE.parseBest(t, OffsetDateTime::from, LocalDateTime::from,
                LocalDate::from);
        if (parsed instanceof OffsetDateTime odt) {
            return Cleaned.of(odt.toInstant());
        }
        if (parsed instanceof LocalDateTime ldt) {
            return local(ldt, cell, zone);
        }
        return Cleaned.of(((LocalDate) parsed).atStartOfDay(zone).toInstant());
    }

    /**
     * A local date-time of {@code zone}: invalid if its clocks skipped it, ambiguous if they showed it twice. (A date
     * alone is the start of its day, {@link LocalDate#atStartOfDay(java.time.ZoneId)}, even where the clocks skip
     * midnight.)
     */
    private static Cleaned<Instant> local(LocalDateTime time, String cell, ZoneId zone) {
        if (zone instanceof ZoneOffset offset) {
            return Cleaned.of(time.toInstant(offset));
        }
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(time);
        if (offsets.size() == 1) {
            return Cleaned.of(time.toInstant(offsets.get(0)));
        }
        if (offsets.isEmpty()) {
            // read after "timestamp is" in the reject's detail
            return Cleaned.invalid("'" + abbreviate(cell) + "', a time the clocks of " + zone
                    + " skipped; write it with its offset");
        }
        return Cleaned.ambiguous("'" + abbreviate(cell) + "' is a time the clocks of " + zone + " showed twice ("
                + offsets.get(0) + " and " + offsets.get(1) + "); write it with its offset");
    }

    /** Rewrites {@code +0530} and {@code +05} at the end of a date-time into {@code +05:30} and {@code +05:00}. */
    private static String normalizeOffset(String t) {
        int t10 = t.indexOf('T');
        if (t10 < 0) {
            return t;
        }
        int sign = Math.max(t.lastIndexOf('+'), t.lastIndexOf('-'));
        if (sign <= t10) {
            return t;
        }
        String offset = t.substring(sign + 1);
        if (offset.length() == 4 && isDigits(offset, 0, 4)) {
            return t.substring(0, sign + 1) + offset.substring(0, 2) + ":" + offset.substring(2);
        }
        if (offset.length() == 2 && isDigits(offset, 0, 2)) {
            return t + ":00";
        }
        return t;
    }

    private static Cleaned<Instant> epoch(String s, String cell, ZoneId zone) {
        int dot = s.indexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        if (whole.length() == 8 && dot < 0) {
            return Cleaned.of(LocalDate.parse(s, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(zone).toInstant());
        }
        BigDecimal value = new BigDecimal(s);
        if (whole.length() >= 9 && whole.length() <= 10) {
            BigDecimal nanos = value.movePointRight(9);
            return Cleaned.of(Instant.ofEpochSecond(0, nanos.longValueExact()));
        }
        if (whole.length() >= 11 && whole.length() <= 13) {
            BigDecimal nanos = value.movePointRight(6);
            return Cleaned.of(Instant.ofEpochSecond(0, nanos.setScale(0, java.math.RoundingMode.DOWN)
                    .longValueExact()));
        }
        return Cleaned.invalid("not a timestamp: '" + abbreviate(cell) + "'");
    }

    private static Cleaned<Instant> dayMonth(Matcher m, DateOrder order, String cell, ZoneId zone) {
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(2));
        int year = Integer.parseInt(m.group(3));
        int day;
        int month;
        // a date the configured order cannot read is refused, as a number is with decimal_mark: 13/01/2025 in a
        // file set to MDY says the setting is wrong for it, or the date is
        if (order == DateOrder.MDY && a > 12 || order == DateOrder.DMY && b > 12) {
            return Cleaned.invalid("'" + abbreviate(cell) + "' is not " + (order == DateOrder.MDY ? "month/day/year"
                    : "day/month/year") + ", the date_order set for this source");
        }
        if (a > 12 && b <= 12) {
            day = a;
            month = b;
        } else if (b > 12 && a <= 12) {
            day = b;
            month = a;
        } else if (a == b || order == DateOrder.DMY) {
            day = a;
            month = b;
        } else if (order == DateOrder.MDY) {
            day = b;
            month = a;
        } else if (a > 12) {
            return Cleaned.invalid("not a date: '" + abbreviate(cell) + "'");
        } else {
            return Cleaned.ambiguous("'" + abbreviate(cell) + "' could be day/month or month/day;"
                    + " set date_order to DMY or MDY");
        }
        LocalDate date = LocalDate.of(year, month, day);
        if (m.group(4) == null) {
            return Cleaned.of(date.atStartOfDay(zone).toInstant());
        }
        LocalTime time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
        return local(date.atTime(time), cell, zone);
    }

    private static boolean isEpochLike(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots <= 1 && s.charAt(s.length() - 1) != '.';
    }

    private static boolean isDateSeparator(char c) {
        return c == '-' || c == '/' || c == '.';
    }
}
