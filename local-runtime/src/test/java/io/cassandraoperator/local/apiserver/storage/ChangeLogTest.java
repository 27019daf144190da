package io.cassandraoperator.local.apiserver.storage;

import io.fabric8.mockwebserver.crud.AttributeSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeLogTest {
    @Test
    void keepsTheLastChangesAndCallsOlderVersionsTooOld() {
        ChangeLog log = new ChangeLog(3);
        log.startAfter(10);
        for (long version = 11; version <= 15; version++) {
            log.add(new ChangeLog.Change(version, null, null, new AttributeSet(), "{}"));
        }
        assertThat(log.after(12)).as("13, 14 and 15 are kept").hasValueSatisfying(changes ->
                assertThat(changes).extracting(ChangeLog.Change::resourceVersion).containsExactly(13L, 14L, 15L));
        assertThat(log.after(15)).hasValueSatisfying(changes -> assertThat(changes).isEmpty());
        assertThat(log.after(11)).as("13 was dropped").isEmpty();
        assertThat(log.oldestKept()).isEqualTo(12);
    }

    @Test
    void keepsNothingBeforeItStarts() {
        ChangeLog log = new ChangeLog(3);
        log.add(new ChangeLog.Change(1, null, null, new AttributeSet(), "{}"));
        assertThat(log.after(0)).isEmpty();
        log.startAfter(1);
        assertThat(log.after(1)).hasValueSatisfying(changes -> assertThat(changes).isEmpty());
        assertThat(log.after(0)).isEmpty();
    }
}
