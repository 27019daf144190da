package io.cassandraoperator.operator.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Seeds of a datacenter: up to three members spread over racks, ordinal 0 of each rack in spec order first, then
 * ordinal 1, and so on. The choice depends only on which members exist, so it stays put while the cluster runs, and
 * members added later (higher ordinals) do not displace earlier seeds.
 */
public final class SeedSelection {
    public static final int PER_DATACENTER = 3;

    private SeedSelection() {
    }

    /** @param membersByRack per rack in spec order, the eligible member names by ordinal */
    public static List<String> choose(List<List<String>> membersByRack) {
        List<String> seeds = new ArrayList<>();
        int longest = membersByRack.stream().mapToInt(List::size).max().orElse(0);
        for (int ordinal = 0; ordinal < longest && seeds.size() < PER_DATACENTER; ordinal++) {
            for (List<String> rack : membersByRack) {
                if (ordinal < rack.size() && seeds.size() < PER_DATACENTER) {
                    seeds.add(rack.get(ordinal));
                }
            }
        }
        return seeds;
    }
}
