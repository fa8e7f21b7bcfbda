package io.proxyless.nas.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for a mistyped key: the closest known one by edit distance, if it is close. */
public final class Suggestion {

    private Suggestion() {}

    /** {@code "; did you mean 'x'?"}, or {@code ""} when no known key is within a third of the typed one's length. */
    static String forKey(String typed, Collection<String> known) {
        String best = closest(typed, known);
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** The known key closest to {@code typed}, or {@code null} when none is within a third of its length. */
    public static String closest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(normal(typed), normal(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, typed.length() / 3) ? best : null;
    }

    /** Case and separators do not count: {@code batchSize}, {@code batch-size} and {@code batch_size} are one key. */
    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[-_]", "");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
