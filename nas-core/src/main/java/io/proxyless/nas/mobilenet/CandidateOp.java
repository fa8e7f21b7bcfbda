package io.proxyless.nas.mobilenet;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A candidate op by name: {@code kKeE} is an MBConv with kernel K and expand ratio E (e.g.
 * {@code k5e6}); {@code zero} removes the layer.
 */
public record CandidateOp(String name, int kernel, int expand) {

    public static final String ZERO = "zero";
    private static final Pattern MBCONV = Pattern.compile("k(\\d+)e(\\d+)");

    /** Parses a candidate name; {@code option} names where it came from, for the error. */
    public static CandidateOp parse(String name, String option) {
        if (ZERO.equals(name)) {
            return new CandidateOp(ZERO, 0, 0);
        }
        Matcher m = MBCONV.matcher(name == null ? "" : name);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    option + ": unknown candidate op '" + name + "'; expected kKeE (e.g. k3e6) or 'zero'");
        }
        int kernel = Integer.parseInt(m.group(1));
        int expand = Integer.parseInt(m.group(2));
        if (kernel % 2 == 0 || kernel < 1 || expand < 1) {
            throw new IllegalArgumentException(
                    option + ": candidate op '" + name + "' needs an odd kernel and an expand ratio >= 1");
        }
        return new CandidateOp(name, kernel, expand);
    }

    public boolean isZero() {
        return ZERO.equals(name);
    }
}
