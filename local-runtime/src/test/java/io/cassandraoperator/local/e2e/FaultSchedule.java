package io.cassandraoperator.local.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded schedule of overlapping faults (#23): scale changes, pod kills, operator kills and disk wipes, each after a
 * pause. A pure function of the seed, so a failing run is replayed with {@code -Dfaults.seed=N}. At most one replica's
 * worth of data is lost at a time: a disk wipe or a pod kill is {@link Fault#destructive}, and the runner applies
 * one only when no replica is down (a member still joining is not a replica yet).
 */
record FaultSchedule(long seed, List<Fault> faults) {
    static final int MIN_MEMBERS = 3;
    static final int MAX_MEMBERS = 5;

    enum Kind { SCALE, KILL_POD, KILL_OPERATOR, WIPE_DISK }

    /**
     * One fault: {@code value} is the member count for {@link Kind#SCALE}, the member's ordinal (taken modulo the
     * members there are when it is applied) for a pod kill or a wipe, unused for an operator kill.
     */
    record Fault(Kind kind, int value, long pauseMillis) {
        boolean destructive() {
            return kind == Kind.KILL_POD || kind == Kind.WIPE_DISK;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case SCALE -> "scale to " + value;
                case KILL_POD -> "kill pod of ordinal " + value;
                case KILL_OPERATOR -> "kill the operator";
                case WIPE_DISK -> "wipe the disk of ordinal " + value;
            } + " after " + pauseMillis + " ms";
        }
    }

    /** {@code length} faults from the seed; pauses up to {@code maxPauseMillis}. */
    static FaultSchedule of(long seed, int length, long maxPauseMillis) {
        // SplittableRandom mixes its seed: java.util.Random gives the same first values for neighbouring seeds.
        SplittableRandom random = new SplittableRandom(seed);
        List<Fault> faults = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = 0; i < length; i++) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            int value = kind == Kind.SCALE ? MIN_MEMBERS + random.nextInt(MAX_MEMBERS - MIN_MEMBERS + 1) : random.nextInt(MAX_MEMBERS);
            faults.add(new Fault(kind, value, (long) (random.nextDouble() * maxPauseMillis)));
        }
        return new FaultSchedule(seed, List.copyOf(faults));
    }

    /**
     * The seeds to run: {@code -Dfaults.seeds=a,b,c}, else {@code -Dfaults.seed=N}, else the given default (a fixed
     * one keeps the suite's run reproducible).
     */
    static List<Long> seeds(long fallback) {
        String several = System.getProperty("faults.seeds");
        if (several != null && !several.isBlank()) {
            return Arrays.stream(several.split(",")).map(String::trim).map(Long::parseLong).toList();
        }
        String one = System.getProperty("faults.seed");
        return List.of(one == null || one.isBlank() ? fallback : Long.parseLong(one.trim()));
    }
}
