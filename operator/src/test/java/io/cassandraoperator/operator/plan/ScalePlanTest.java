package io.cassandraoperator.operator.plan;

import io.cassandraoperator.operator.observe.MemberRecords;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

class ScalePlanTest {
    private static final BiFunction<String, Integer, String> NAME = (rack, ordinal) -> rack + "-" + ordinal;

    private static Set<String> ready(List<ScalePlan.Rack> racks) {
        Set<String> ready = new HashSet<>();
        racks.forEach(r -> { for (int o = 0; o < r.replicas(); o++) ready.add(NAME.apply(r.name(), o)); });
        return ready;
    }

    @Test
    void steadyWhenEveryRackHasItsCountAndEveryMemberIsReady() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 3));
        assertThat(ScalePlan.next(racks, ready(racks), List.of(), List.of(), NAME)).isInstanceOf(ScaleStep.Steady.class);
    }

    @Test
    void growsTheRackFurthestBelowItsCountFirstTiesInSpecOrder() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 1), new ScalePlan.Rack("b", 3, 0), new ScalePlan.Rack("c", 3, 0));
        assertThat(ScalePlan.next(racks, ready(racks), List.of(), List.of(), NAME)).isEqualTo(new ScaleStep.AddMember("b", 0, "b-0"));
        List<ScalePlan.Rack> tied = List.of(new ScalePlan.Rack("a", 2, 1), new ScalePlan.Rack("b", 2, 1));
        assertThat(ScalePlan.next(tied, ready(tied), List.of(), List.of(), NAME)).isEqualTo(new ScaleStep.AddMember("a", 1, "a-1"));
    }

    @Test
    void aNewClusterStartsWithOrdinalZeroOfTheFirstRack() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 1, 0), new ScalePlan.Rack("b", 1, 0), new ScalePlan.Rack("c", 1, 0));
        assertThat(ScalePlan.next(racks, Set.of(), List.of(), List.of(), NAME)).isEqualTo(new ScaleStep.AddMember("a", 0, "a-0"));
    }

    @Test
    void neverStartsAMemberWhileAnotherIsJoiningOrNotReady() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 5, 4), new ScalePlan.Rack("b", 3, 3));
        Set<String> ready = ready(racks);
        ready.remove("a-3");
        ScaleStep step = ScalePlan.next(racks, ready, List.of(), List.of(), NAME);
        assertThat(step).isInstanceOf(ScaleStep.Wait.class);
        assertThat(step.progress()).contains("a-3");
        ready.add("a-3");
        ready.remove("b-0");
        assertThat(ScalePlan.next(racks, ready, List.of(), List.of(), NAME).progress()).contains("b-0");
    }

    @Test
    void shrinksByTheHighestOrdinalOfTheRackFurthestAboveItsCount() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 4), new ScalePlan.Rack("b", 3, 5));
        assertThat(ScalePlan.next(racks, ready(racks), List.of(), List.of(), NAME)).isEqualTo(new ScaleStep.StartDecommission("b", 4, "b-4"));
    }

    @Test
    void membersMovedBetweenRacksJoinTheNewRackBeforeTheOldOneShrinks() {
        // Rack a 3 -> 2 and rack b 2 -> 3 in one edit: the total stays 5, and never goes below it on the way.
        List<ScalePlan.Rack> moved = List.of(new ScalePlan.Rack("a", 2, 3), new ScalePlan.Rack("b", 3, 2));
        assertThat(ScalePlan.next(moved, ready(moved), List.of(), List.of(), NAME)).isEqualTo(new ScaleStep.AddMember("b", 2, "b-2"));
        List<ScalePlan.Rack> joining = List.of(new ScalePlan.Rack("a", 2, 3), new ScalePlan.Rack("b", 3, 3));
        Set<String> ready = ready(joining);
        ready.remove("b-2");
        assertThat(ScalePlan.next(joining, ready, List.of(), List.of(), NAME)).as("the new member is still joining")
                .isInstanceOf(ScaleStep.Wait.class);
        assertThat(ScalePlan.next(joining, ready(joining), List.of(), List.of(), NAME)).as("once it is ready")
                .isEqualTo(new ScaleStep.StartDecommission("a", 2, "a-2"));
    }

    @Test
    void noDecommissionStartsWhileAMemberIsNotReady() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 5));
        Set<String> ready = ready(racks);
        ready.remove("a-1");
        assertThat(ScalePlan.next(racks, ready, List.of(), List.of(), NAME)).isInstanceOf(ScaleStep.Wait.class);
    }

    @Test
    void aRecordedDecommissionIsABarrierForEveryOtherChange() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 5), new ScalePlan.Rack("b", 4, 1));
        MemberRecords.Decommission running = new MemberRecords.Decommission("a", 4, "a-4", false, false, null);
        assertThat(ScalePlan.next(racks, ready(racks), List.of(running), List.of(), NAME)).isEqualTo(new ScaleStep.ContinueDecommission("a", 4, "a-4"));
        // Even when the user wants the member back, a running decommission cannot be undone: it finishes first.
        List<ScalePlan.Rack> wantedBack = List.of(new ScalePlan.Rack("a", 5, 5));
        assertThat(ScalePlan.next(wantedBack, ready(wantedBack), List.of(running), List.of(), NAME)).isInstanceOf(ScaleStep.ContinueDecommission.class);
    }

    @Test
    void aFinishedDecommissionRemovesTheMember() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 5));
        MemberRecords.Decommission done = new MemberRecords.Decommission("a", 4, "a-4", true, true, null);
        assertThat(ScalePlan.next(racks, Set.of(), List.of(done), List.of(), NAME)).isEqualTo(new ScaleStep.RemoveMember("a", 4, "a-4"));
        List<ScalePlan.Rack> lowered = List.of(new ScalePlan.Rack("a", 3, 4));
        assertThat(ScalePlan.next(lowered, ready(lowered), List.of(done), List.of(), NAME)).isEqualTo(new ScaleStep.RemoveMember("a", 4, "a-4"));
    }

    @Test
    void aDecommissionThatFailedOnAStreamIsRetriedWhenEveryMemberIsReadyAtMostThreeTimes() {
        String stream = "Stream failed: failed to connect to /127.0.2.3:7000 for streaming data";
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 4));
        MemberRecords.Decommission failed = new MemberRecords.Decommission("a", 3, "a-3", false, false, stream, 0);
        assertThat(ScalePlan.next(racks, ready(racks), List.of(failed), List.of(), NAME))
                .isEqualTo(new ScaleStep.RetryDecommission("a", "a-3", 1, stream));
        assertThat(ScalePlan.next(racks, Set.of("a-0", "a-1", "a-3"), List.of(failed), List.of(), NAME))
                .as("a member down: the failure stands until it is back").isEqualTo(new ScaleStep.DecommissionFailed("a", "a-3", stream));
        MemberRecords.Decommission thrice = new MemberRecords.Decommission("a", 3, "a-3", false, false, stream, 3);
        assertThat(ScalePlan.next(racks, ready(racks), List.of(thrice), List.of(), NAME))
                .isEqualTo(new ScaleStep.DecommissionFailed("a", "a-3", stream));
    }

    @Test
    void aFailedDecommissionStaysUntilTheSpecWantsTheMemberAgain() {
        MemberRecords.Decommission failed = new MemberRecords.Decommission("a", 3, "a-3", false, false, "Not enough live nodes");
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 4));
        assertThat(ScalePlan.next(racks, ready(racks), List.of(failed), List.of(), NAME))
                .isEqualTo(new ScaleStep.DecommissionFailed("a", "a-3", "Not enough live nodes"));
        List<ScalePlan.Rack> wanted = List.of(new ScalePlan.Rack("a", 4, 4));
        assertThat(ScalePlan.next(wanted, ready(wanted), List.of(failed), List.of(), NAME)).isEqualTo(new ScaleStep.CancelDecommission("a", "a-3"));
    }

    @Test
    void aFinishedLabelWithoutTheAgentsConfirmationRemovesNothingAndIsVerified() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 3));
        MemberRecords.Decommission forged = new MemberRecords.Decommission("a", 2, "a-2", true, false, null);
        assertThat(ScalePlan.next(racks, ready(racks), List.of(forged), List.of(), NAME)).isEqualTo(new ScaleStep.VerifyDecommission("a", 2, "a-2"));
        MemberRecords.Decommission confirmed = new MemberRecords.Decommission("a", 2, "a-2", true, true, null);
        assertThat(ScalePlan.next(racks, ready(racks), List.of(confirmed), List.of(), NAME)).isEqualTo(new ScaleStep.RemoveMember("a", 2, "a-2"));
    }

    @Test
    void onlyTheHighestOrdinalMayLeave() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 5));
        MemberRecords.Decommission middle = new MemberRecords.Decommission("a", 2, "a-2", true, true, null);
        assertThat(ScalePlan.next(racks, ready(racks), List.of(middle), List.of(), NAME)).isInstanceOf(ScaleStep.Wait.class);
    }

    @Test
    void aMemberStoppedBeforeItsDecommissionFinishedKeepsItsData() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 3));
        MemberRecords.Decommission unfinished = new MemberRecords.Decommission("a", 3, "a-3", false, false, null);
        assertThat(ScalePlan.next(racks, ready(racks), List.of(unfinished), List.of(), NAME)).isInstanceOf(ScaleStep.Wait.class);
    }

    @Test
    void owedCleanupsWaitUntilTheScaleOutIsCompleteThenRunOneAtATime() {
        List<MemberRecords.Cleanup> owed = List.of(new MemberRecords.Cleanup("a", "a-0", "run1", false, null),
                new MemberRecords.Cleanup("a", "a-1", "run1", false, null));
        List<ScalePlan.Rack> growing = List.of(new ScalePlan.Rack("a", 5, 4));
        assertThat(ScalePlan.next(growing, ready(growing), List.of(), owed, NAME)).isEqualTo(new ScaleStep.AddMember("a", 4, "a-4"));
        List<ScalePlan.Rack> grown = List.of(new ScalePlan.Rack("a", 5, 5));
        Set<String> joining = ready(grown);
        joining.remove("a-4");
        assertThat(ScalePlan.next(grown, joining, List.of(), owed, NAME)).isInstanceOf(ScaleStep.Wait.class);
        assertThat(ScalePlan.next(grown, ready(grown), List.of(), owed, NAME)).isEqualTo(new ScaleStep.StartCleanup("a", "a-0", "run1"));
    }

    @Test
    void aStartedCleanupIsABarrierAndAFailedOneIsReportedLast() {
        List<ScalePlan.Rack> growing = List.of(new ScalePlan.Rack("a", 5, 4));
        MemberRecords.Cleanup started = new MemberRecords.Cleanup("a", "a-1", "run1", true, null);
        assertThat(ScalePlan.next(growing, ready(growing), List.of(), List.of(started), NAME))
                .isEqualTo(new ScaleStep.ContinueCleanup("a", "a-1", "run1"));
        MemberRecords.Cleanup failed = new MemberRecords.Cleanup("a", "a-0", null, false, "disk full");
        MemberRecords.Cleanup owed = new MemberRecords.Cleanup("a", "a-2", "run1", false, null);
        List<ScalePlan.Rack> steady = List.of(new ScalePlan.Rack("a", 4, 4));
        assertThat(ScalePlan.next(steady, ready(steady), List.of(), List.of(failed, owed), NAME)).isEqualTo(new ScaleStep.StartCleanup("a", "a-2", "run1"));
        assertThat(ScalePlan.next(steady, ready(steady), List.of(), List.of(failed), NAME)).isEqualTo(new ScaleStep.CleanupFailed("a-0", "disk full"));
        assertThat(ScalePlan.next(growing, ready(growing), List.of(), List.of(failed), NAME)).isEqualTo(new ScaleStep.AddMember("a", 4, "a-4"));
    }

    @Test
    void aLostMemberIsReplacedOnlyWhenEveryOtherMemberIsReady() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 3));
        List<ScalePlan.Loss> lost = List.of(new ScalePlan.Loss("a", "a-1", "node n1 is gone"));
        Set<String> othersReady = Set.of("a-0", "a-2");
        assertThat(ScalePlan.next(racks, othersReady, List.of(), List.of(), lost, List.of(), NAME))
                .isEqualTo(new ScaleStep.StartReplacement("a", "a-1", "node n1 is gone"));
        assertThat(ScalePlan.next(racks, Set.of("a-2"), List.of(), List.of(), lost, List.of(), NAME))
                .isInstanceOfSatisfying(ScaleStep.Wait.class, w -> assertThat(w.progress()).contains("a-1").contains("a-0"));
        // The rack's highest member not ready may be a bootstrap that cannot finish: act abandons it only on its agent's word.
        assertThat(ScalePlan.next(racks, Set.of("a-0"), List.of(), List.of(), lost, List.of(), NAME))
                .isInstanceOfSatisfying(ScaleStep.AbandonBootstrap.class, a -> assertThat(a.member()).isEqualTo("a-2"));
    }

    @Test
    void aRefusedLossTouchesNothingAndSaysWhy() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 2, 2));
        List<ScalePlan.Loss> lost = List.of(new ScalePlan.Loss("a", "a-1", "requested", "only 1 other member(s) are ready"));
        assertThat(ScalePlan.next(racks, Set.of("a-0"), List.of(), List.of(), lost, List.of(), NAME))
                .isEqualTo(new ScaleStep.ReplacementRefused("a", "a-1", "requested", "only 1 other member(s) are ready"));
    }

    @Test
    void aRecordedReplacementGoesOnBeforeScalingAndALaterLoss() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 4, 3));
        List<MemberRecords.Replacement> running = List.of(new MemberRecords.Replacement("a", "a-2", "requested", Set.of(), "", null));
        List<ScalePlan.Loss> lost = List.of(new ScalePlan.Loss("a", "a-0", "node n1 is gone"));
        assertThat(ScalePlan.next(racks, Set.of("a-0", "a-1"), List.of(), running, lost, List.of(), NAME))
                .isEqualTo(new ScaleStep.ContinueReplacement("a", "a-2", "requested"));
    }

    @Test
    void aDecommissionInProgressComesBeforeAReplacement() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 4));
        List<MemberRecords.Decommission> leaving = List.of(new MemberRecords.Decommission("a", 3, "a-3", false, false, null));
        List<ScalePlan.Loss> lost = List.of(new ScalePlan.Loss("a", "a-0", "node n1 is gone"));
        assertThat(ScalePlan.next(racks, Set.of("a-1", "a-2", "a-3"), leaving, List.of(), lost, List.of(), NAME))
                .isEqualTo(new ScaleStep.ContinueDecommission("a", 3, "a-3"));
    }

    /** Issue #23's wedge: a-2 lost while a-3 joins, 4 wanted; the replacement waited for a-3, a-3 for a-2, for good. */
    @Test
    void aMemberJoiningWhileAnotherMustBeReplacedIsAbandonedInsteadOfWaitedFor() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 4, 4));
        List<ScalePlan.Loss> lost = List.of(new ScalePlan.Loss("a", "a-2", "its agent found its volume empty"));
        ScaleStep step = ScalePlan.next(racks, Set.of("a-0", "a-1"), List.of(), List.of(), List.of(), lost, List.of(), NAME);
        assertThat(step).isInstanceOf(ScaleStep.AbandonBootstrap.class);
        ScaleStep.AbandonBootstrap abandon = (ScaleStep.AbandonBootstrap) step;
        assertThat(abandon.member()).isEqualTo("a-3");
        assertThat(abandon.ordinal()).isEqualTo(3);
        assertThat(abandon.cause()).contains("a-2 must be replaced").contains("its agent found its volume empty");
        assertThat(step.progress()).contains("abandoning the bootstrap of member a-3");
    }

    /** Only a rack's highest member can be stopped: a lower one not ready is a joined member that is down, and is waited for. */
    @Test
    void aLowerMemberNotReadyBesideALossIsWaitedForNotAbandoned() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 4, 4));
        List<ScalePlan.Loss> lost = List.of(new ScalePlan.Loss("a", "a-3", "its volume is gone"));
        ScaleStep step = ScalePlan.next(racks, Set.of("a-0", "a-2"), List.of(), List.of(), List.of(), lost, List.of(), NAME);
        assertThat(step).isInstanceOf(ScaleStep.Wait.class);
        assertThat(step.progress()).contains("a-3 must be replaced").contains("a-1 is not ready");
    }

    @Test
    void aScaleDownRemovingAMemberStillJoiningAbandonsItsBootstrapInsteadOfDecommissioning() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 3, 4));
        ScaleStep step = ScalePlan.next(racks, Set.of("a-0", "a-1", "a-2"), List.of(), List.of(), NAME);
        assertThat(step).isInstanceOf(ScaleStep.AbandonBootstrap.class);
        assertThat(((ScaleStep.AbandonBootstrap) step).member()).isEqualTo("a-3");
        assertThat(((ScaleStep.AbandonBootstrap) step).cause()).contains("no longer wants it").contains("wants 3");
        // The member leaving is ready but another is not: a decommission still waits for every member.
        assertThat(ScalePlan.next(racks, Set.of("a-0", "a-2", "a-3"), List.of(), List.of(), NAME)).isInstanceOf(ScaleStep.Wait.class);
    }

    @Test
    void aRecordedAbandonedBootstrapGoesOnBeforeReplacementsLossesAndScaling() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 4, 4));
        List<MemberRecords.AbandonedBootstrap> abandoned = List.of(new MemberRecords.AbandonedBootstrap("a", 3, "a-3", "the spec no longer wants it",
                "pod-uid", Set.of("claim-uid")));
        List<MemberRecords.Replacement> replacing = List.of(new MemberRecords.Replacement("a", "a-1", "requested", Set.of(), "", null));
        List<ScalePlan.Loss> lost = List.of(new ScalePlan.Loss("a", "a-2", "its volume is gone"));
        assertThat(ScalePlan.next(racks, Set.of("a-0"), List.of(), abandoned, replacing, lost, List.of(), NAME))
                .isEqualTo(new ScaleStep.ContinueAbandonedBootstrap("a", 3, "a-3", "the spec no longer wants it"));
        List<MemberRecords.Decommission> leaving = List.of(new MemberRecords.Decommission("a", 3, "a-3", false, false, null));
        assertThat(ScalePlan.next(racks, Set.of("a-0"), leaving, abandoned, replacing, lost, List.of(), NAME))
                .as("a decommission in progress is a barrier to everything").isEqualTo(new ScaleStep.ContinueDecommission("a", 3, "a-3"));
    }

    /** After the abandonment (3 replicas, a-3 gone): the lost member's replacement comes before a-3 joins again. */
    @Test
    void aLostMembersReplacementComesBeforeAnyNewMemberJoins() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 4, 3));
        List<ScalePlan.Loss> lost = List.of(new ScalePlan.Loss("a", "a-2", "its volume is gone"));
        assertThat(ScalePlan.next(racks, Set.of("a-0", "a-1"), List.of(), List.of(), List.of(), lost, List.of(), NAME))
                .isEqualTo(new ScaleStep.StartReplacement("a", "a-2", "its volume is gone"));
        List<MemberRecords.Replacement> replacing = List.of(new MemberRecords.Replacement("a", "a-2", "its volume is gone", Set.of(), "", "run"));
        assertThat(ScalePlan.next(racks, Set.of("a-0", "a-1", "a-2"), List.of(), List.of(), replacing, List.of(), List.of(), NAME))
                .as("the replacement is still recorded (its repair runs)").isInstanceOf(ScaleStep.ContinueReplacement.class);
        assertThat(ScalePlan.next(racks, Set.of("a-0", "a-1", "a-2"), List.of(), List.of(), List.of(), List.of(), List.of(), NAME))
                .isEqualTo(new ScaleStep.AddMember("a", 3, "a-3"));
    }

    /** Nothing new starts while a replica of the data it needs is down (no loss, just a member not ready). */
    @Test
    void nothingJoinsWhileAMemberIsDown() {
        List<ScalePlan.Rack> racks = List.of(new ScalePlan.Rack("a", 4, 3));
        ScaleStep step = ScalePlan.next(racks, Set.of("a-0", "a-2"), List.of(), List.of(), NAME);
        assertThat(step).isInstanceOf(ScaleStep.Wait.class);
        assertThat(step.progress()).contains("a-1");
    }
}
