package io.cassandraoperator.agent.membership;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class VanishedVolumeTest {
    private static final String LOCAL_TABLE = "data/system/local-7ad54392bcdd35a684174e047860b377";

    @TempDir
    Path volume;

    @BeforeEach
    void aJoinedVolume() throws IOException {
        Files.createDirectories(volume.resolve(LOCAL_TABLE));
        Files.writeString(volume.resolve(LOCAL_TABLE).resolve("nb-1-big-Data.db"), "x");
        VolumeMarker.joined(volume).write();
    }

    @Test
    void aWipedVolumeIsLostAtTheSecondLookInARow() throws IOException {
        VanishedVolume watched = armed();

        wipe();
        assertThat(watched.look()).as("one look is not a confirmation").isEmpty();
        assertThat(watched.look()).hasValueSatisfying(evidence -> assertThat(evidence)
                .contains(VolumeMarker.JOINED).contains("no SSTable of system.local"));
    }

    @Test
    void directoriesCassandraRecreatedAfterTheWipeAreNotItsData() throws IOException {
        VanishedVolume watched = armed();
        wipe();
        Files.createDirectories(volume.resolve(LOCAL_TABLE));
        Files.createDirectories(volume.resolve("data/ks/t-1234"));
        Files.writeString(volume.resolve("data/ks/t-1234/nb-1-big-Data.db"), "new writes");

        watched.look();
        assertThat(watched.look()).isPresent();
    }

    @Test
    void oneFactAloneIsNoLoss() throws IOException {
        VanishedVolume markerDeleted = armed();
        Files.delete(VolumeMarker.joined(volume).file());
        for (int i = 0; i < 5; i++) {
            assertThat(markerDeleted.look()).as("the marker deleted, Cassandra's data in place").isEmpty();
        }

        VolumeMarker.joined(volume).write();
        VanishedVolume tablesGone = armed();
        wipe();
        VolumeMarker.joined(volume).write();
        for (int i = 0; i < 5; i++) {
            assertThat(tablesGone.look()).as("system.local gone, the marker in place").isEmpty();
        }
    }

    @Test
    void aLookThatFindsTheVolumeBackStartsTheCountAgain() throws IOException {
        VanishedVolume watched = armed();
        Path aside = Files.createTempDirectory(volume.getParent(), "aside");
        Files.move(volume.resolve("data"), aside.resolve("data"));
        Files.move(VolumeMarker.joined(volume).file(), aside.resolve(VolumeMarker.JOINED));
        assertThat(watched.look()).isEmpty();

        // Back, as after a remount that was briefly gone.
        Files.move(aside.resolve("data"), volume.resolve("data"));
        Files.move(aside.resolve(VolumeMarker.JOINED), VolumeMarker.joined(volume).file());
        assertThat(watched.look()).isEmpty();

        wipe();
        assertThat(watched.look()).as("counting starts again").isEmpty();
        assertThat(watched.look()).isPresent();
    }

    @Test
    void nothingCountsBeforeTheVolumeWasSeenHoldingCassandrasData() throws IOException {
        wipe();
        VolumeMarker.joined(volume).write();
        VanishedVolume watched = VanishedVolume.watch(volume).orElseThrow();
        Files.delete(VolumeMarker.joined(volume).file());
        for (int i = 0; i < 5; i++) {
            assertThat(watched.look()).as("never armed: the marker alone would be one fact").isEmpty();
        }
        assertThat(watched.armed()).isFalse();
    }

    @Test
    void aVolumeThatNeverJoinedIsNotWatched(@TempDir Path fresh) throws IOException {
        Files.createDirectories(fresh.resolve(LOCAL_TABLE));
        assertThat(VanishedVolume.watch(fresh)).isEmpty();
    }

    private VanishedVolume armed() {
        VanishedVolume watched = VanishedVolume.watch(volume).orElseThrow();
        assertThat(watched.look()).isEmpty();
        assertThat(watched.armed()).isTrue();
        assertThat(watched.look()).isEmpty();
        return watched;
    }

    private void wipe() throws IOException {
        try (Stream<Path> tree = Files.walk(volume)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(volume)).toList()) {
                Files.delete(path);
            }
        }
    }
}
