package io.proxyless.nas.config;

import java.util.List;
import java.util.Locale;

/**
 * What values an option allows, said once: {@link #describe()} goes into {@code --help} and the
 * reference, {@link #problem} into the error.
 */
public interface OptionCheck {

    /** {@code "> 0"}, {@code "in [0, 1)"}, {@code "one of [two, full_v2]"}. */
    String describe();

    /** Why {@code value} is not allowed ({@code "must be > 0, got 0"}), or {@code null} when it is. */
    String problem(Object value);

    /** A number at least {@code min} (or above it, when {@code exclusive}). */
    static OptionCheck atLeast(double min, boolean exclusive) {
        String text = (exclusive ? "> " : ">= ") + number(min);
        return of(text, v -> exclusive ? ((Number) v).doubleValue() > min : ((Number) v).doubleValue() >= min);
    }

    /** A number in {@code [min, max)} ({@code closedMax} makes it {@code [min, max]}; {@code openMin} {@code (min, ...}). */
    static OptionCheck between(double min, double max, boolean openMin, boolean closedMax) {
        String text = "in " + (openMin ? "(" : "[") + number(min) + ", " + number(max) + (closedMax ? "]" : ")");
        return of(text, v -> {
            double d = ((Number) v).doubleValue();
            return (openMin ? d > min : d >= min) && (closedMax ? d <= max : d < max);
        });
    }

    /** A string (or each string of a list) among {@code allowed}. */
    static OptionCheck oneOf(List<String> allowed) {
        return of("one of " + allowed, v -> v instanceof List<?> list ? allowed.containsAll(list) : allowed.contains(v));
    }

    private static OptionCheck of(String text, java.util.function.Predicate<Object> allowed) {
        return new OptionCheck() {
            @Override
            public String describe() {
                return text;
            }

            @Override
            public String problem(Object value) {
                return value == null || allowed.test(value) ? null : "must be " + text + ", got " + OptionType.render(value);
            }
        };
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
