package io.cassandraoperator.operator.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ObservedClusterTest {
    private static ObservedCluster with(Pod pod) {
        return new ObservedCluster(Map.of(), Map.of(), Map.of(pod.getMetadata().getName(), pod), Map.of(), Map.of(), Map.of(), Map.of());
    }

    @Test
    void readyOnlyWithTheReadyConditionAndNotTerminating() {
        Pod ready = new PodBuilder().withNewMetadata().withName("m-0").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
        assertThat(with(ready).ready("m-0")).isTrue();
        assertThat(with(ready).ready("m-1")).isFalse();
        Pod terminating = new PodBuilder(ready).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
        assertThat(with(terminating).ready("m-0")).isFalse();
        assertThat(with(terminating).podState("m-0")).isEqualTo("its pod is terminating");
    }

    @Test
    void podStateTellsWhyAMemberIsNotReady() {
        Pod crashing = new PodBuilder().withNewMetadata().withName("m-1").endMetadata()
                .withNewStatus().addNewContainerStatus().withName("cassandra").withRestartCount(6)
                    .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 1m0s").endWaiting().endState()
                    .withNewLastState().withNewTerminated().withExitCode(3).endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
        assertThat(with(crashing).podState("m-1"))
                .isEqualTo("container cassandra waiting: CrashLoopBackOff (back-off 1m0s), restarted 6 times, last exit code 3");
        Pod starting = new PodBuilder().withNewMetadata().withName("m-1").endMetadata()
                .withNewStatus().addNewContainerStatus().withName("cassandra").withRestartCount(0)
                    .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build();
        assertThat(with(starting).podState("m-1")).isEqualTo("container cassandra running, not ready yet");
        assertThat(with(starting).podState("m-2")).isEqualTo("its pod does not exist yet");
    }
}
