package io.cassandraoperator.agent.membership;

import io.cassandraoperator.api.Contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the members ConfigMap says about this member: its broadcast address (its member Service's ClusterIP), the
 * cluster's seeds, whether a replacement of this member was asked for, and the addresses of the other members being
 * replaced.
 */
public record Membership(String broadcastAddress, List<String> seeds, boolean replaceRequested,
                         List<String> othersBeingReplaced) {

    /** Key of the members ConfigMap, next to the member's own key, that asks this member to replace its old self. */
    public static final String REPLACE_SUFFIX = Contract.MembersConfig.REPLACE_SUFFIX;

    public Membership {
        seeds = List.copyOf(seeds);
        othersBeingReplaced = List.copyOf(othersBeingReplaced);
    }

    public Membership(String broadcastAddress, List<String> seeds, boolean replaceRequested) {
        this(broadcastAddress, seeds, replaceRequested, List.of());
    }

    public static Membership read(Path membersDir, String podName) {
        Path own = membersDir.resolve(podName);
        Path seedsFile = membersDir.resolve(Contract.MembersConfig.SEEDS);
        if (!Files.isRegularFile(own)) {
            throw new IllegalStateException("no broadcast address for " + podName + ": " + own
                    + " is missing (the operator writes it into the members ConfigMap before creating the pod)");
        }
        if (!Files.isRegularFile(seedsFile)) {
            throw new IllegalStateException("no seeds: " + seedsFile + " is missing");
        }
        List<String> seeds = parseSeeds(readTrimmed(seedsFile));
        if (seeds.isEmpty()) {
            throw new IllegalStateException("no seeds: " + seedsFile + " is empty");
        }
        return new Membership(
                readTrimmed(own),
                seeds,
                Files.exists(membersDir.resolve(podName + REPLACE_SUFFIX)),
                othersBeingReplaced(membersDir, podName));
    }

    /** The addresses of the other members with a replacement mark: each one's own key holds its address. */
    private static List<String> othersBeingReplaced(Path membersDir, String podName) {
        try (Stream<Path> keys = Files.list(membersDir)) {
            return keys.map(key -> key.getFileName().toString())
                    .filter(key -> key.endsWith(REPLACE_SUFFIX))
                    .map(key -> key.substring(0, key.length() - REPLACE_SUFFIX.length()))
                    .filter(member -> !member.equals(podName) && Files.isRegularFile(membersDir.resolve(member)))
                    .map(member -> readTrimmed(membersDir.resolve(member)))
                    .filter(address -> !address.isEmpty())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> parseSeeds(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(seed -> !seed.isEmpty())
                .distinct()
                .toList();
    }

    /**
     * The seeds this member gives Cassandra. A member in its own seed list never bootstraps, so one that may still
     * bootstrap (a new member, or one replacing a lost disk) leaves itself out, unless it is the only seed (the first
     * member of a new cluster). A member whose data already joined the ring keeps itself in: it will not bootstrap
     * anyway, and Cassandra refuses to start a non-seed when no other seed answers, which would deadlock the restart of
     * a whole cluster whose members start one at a time.
     * <p>
     * Members being replaced are seeds too, for everyone else. A member that replaces its old self under the same
     * address announces itself as hibernating, a state in which Cassandra's gossip never contacts it, except as a seed;
     * if no peer contacts it before Cassandra's ring delay ends, its replacement fails with "Unable to contact any
     * seeds". A running member picks such a change up without restarting (see {@link SeedRefresher}).
     *
     * @param dataJoinedRing whether Cassandra already reached NORMAL on this member's data volume
     */
    public List<String> seedsForCassandra(boolean dataJoinedRing) {
        List<String> chosen;
        if (dataJoinedRing) {
            chosen = seeds;
        } else {
            List<String> others = seeds.stream().filter(seed -> !seed.equals(broadcastAddress)).toList();
            chosen = others.isEmpty() ? seeds : others;
        }
        return Stream.concat(chosen.stream(), othersBeingReplaced.stream()
                        .filter(address -> !address.equals(broadcastAddress)))
                .distinct()
                .toList();
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
