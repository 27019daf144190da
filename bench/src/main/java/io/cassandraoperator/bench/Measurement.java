package io.cassandraoperator.bench;

/**
 * One row of the results table: a measured value, the baseline it is divided by when the figure is a ratio (measured
 * in the same run, since these machines are noisy), and the target it is held against.
 *
 * @param baseline  null when the figure is a count or a size, not a ratio
 * @param targetMin the smallest value that meets the target; null when only a maximum applies
 * @param targetMax the largest value that meets the target; null for figures reported without a target
 * @param finished  false when the run this value comes from stopped before its end (a timeout): its value describes a
 *                  different, smaller workload, so it can never meet a target
 */
public record Measurement(String benchmark, String metric, double value, String unit, Double baseline,
                          Double targetMin, Double targetMax, boolean finished) {
    public static final String UNFINISHED = "UNFINISHED";

    public static Measurement count(String benchmark, String metric, double value, String unit, Double targetMax) {
        return new Measurement(benchmark, metric, value, unit, null, null, targetMax, true);
    }

    public static Measurement ratio(String benchmark, String metric, double value, double baseline, Double targetMin, Double targetMax) {
        return new Measurement(benchmark, metric, value, "ratio", baseline, targetMin, targetMax, true);
    }

    /** The same value, from a run that stopped before its end. */
    public Measurement unfinished() {
        return new Measurement(benchmark, metric, value, unit, baseline, targetMin, targetMax, false);
    }

    /** The figure held against the target: the ratio for ratios, the value otherwise. */
    public double figure() {
        return baseline == null ? value : value / baseline;
    }

    public String verdict() {
        if (targetMin == null && targetMax == null) {
            return finished ? "-" : UNFINISHED;
        }
        if (!finished) {
            return UNFINISHED;
        }
        boolean met = (targetMin == null || figure() >= targetMin) && (targetMax == null || figure() <= targetMax);
        return met ? "met" : "MISSED";
    }

    public String target() {
        if (targetMin != null && targetMax != null) {
            return targetMin + ".." + targetMax;
        }
        if (targetMax != null) {
            return "<= " + format(targetMax);
        }
        return targetMin == null ? "" : ">= " + format(targetMin);
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
