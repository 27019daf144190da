package io.cassandraoperator.operator.plan;

import io.cassandraoperator.api.Contract.Labels;

import java.time.Instant;

/** The one membership change the operator makes next, or why it makes none: decided by {@link ScalePlan}. */
public sealed interface ScaleStep {
    /** What status reports while this step is the next one; null when there is nothing to wait for. */
    String progress();

    /** Hands this step to the visitor's method for its kind: a new kind of step does not compile until every visitor handles it. */
    <R> R accept(Visitor<R> visitor);

    /** One method per kind of step. */
    interface Visitor<R> {
        R steady(Steady step);

        R waitFor(Wait step);

        R addMember(AddMember step);

        R startDecommission(StartDecommission step);

        R continueDecommission(ContinueDecommission step);

        R removeMember(RemoveMember step);

        R verifyDecommission(VerifyDecommission step);

        R decommissionUnconfirmed(DecommissionUnconfirmed step);

        R decommissionFailed(DecommissionFailed step);

        R cancelDecommission(CancelDecommission step);

        R retryDecommission(RetryDecommission step);

        R startCleanup(StartCleanup step);

        R continueCleanup(ContinueCleanup step);

        R cleanupFailed(CleanupFailed step);

        R startReplacement(StartReplacement step);

        R continueReplacement(ContinueReplacement step);

        R replacementRefused(ReplacementRefused step);

        R awaitNodeReturn(AwaitNodeReturn step);

        R abandonBootstrap(AbandonBootstrap step);

        R continueAbandonedBootstrap(ContinueAbandonedBootstrap step);
    }

    record Steady() implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.steady(this);
        }

        public String progress() {
            return null;
        }
    }

    record Wait(String progress) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.waitFor(this);
        }
    }

    record AddMember(String rack, int ordinal, String member) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addMember(this);
        }

        public String progress() {
            return "adding member " + member + " to rack " + rack;
        }
    }

    record StartDecommission(String rack, int ordinal, String member) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.startDecommission(this);
        }

        public String progress() {
            return "starting the decommission of member " + member + " of rack " + rack;
        }
    }

    record ContinueDecommission(String rack, int ordinal, String member) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.continueDecommission(this);
        }

        public String progress() {
            return "waiting for member " + member + " of rack " + rack + " to finish its decommission";
        }
    }

    record RemoveMember(String rack, int ordinal, String member) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeMember(this);
        }

        public String progress() {
            return "removing decommissioned member " + member + " of rack " + rack;
        }
    }

    /** A member Service says the decommission finished without the operator's record of the agent saying so: ask it. */
    record VerifyDecommission(String rack, int ordinal, String member) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.verifyDecommission(this);
        }

        public String progress() {
            return "asking the agent of member " + member + " whether its decommission finished, as its Service's label says";
        }
    }

    /** The agent does not confirm what the label says: nothing is removed until a user removes the label. */
    record DecommissionUnconfirmed(String rack, String member, String agentSays) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.decommissionUnconfirmed(this);
        }

        public String progress() {
            return null;
        }
    }

    record DecommissionFailed(String rack, String member, String message) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.decommissionFailed(this);
        }

        public String progress() {
            return null;
        }
    }

    record CancelDecommission(String rack, String member) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.cancelDecommission(this);
        }

        public String progress() {
            return "cancelling the failed decommission of member " + member + " (the spec wants it again)";
        }
    }

    /** A decommission that failed on a stream is started again, now that every member is ready: attempt {@code retry}. */
    record RetryDecommission(String rack, String member, int retry, String failure) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.retryDecommission(this);
        }

        public String progress() {
            return "retrying the decommission of member " + member + " (retry " + retry + " of " + ScalePlan.DECOMMISSION_RETRIES
                    + "): it failed on a stream while a member was down, and every member is ready again";
        }
    }

    record StartCleanup(String rack, String member, String runId) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.startCleanup(this);
        }

        public String progress() {
            return "starting the cleanup of member " + member + " after the scale-out";
        }
    }

    record ContinueCleanup(String rack, String member, String runId) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.continueCleanup(this);
        }

        public String progress() {
            return "waiting for the cleanup of member " + member + " to finish";
        }
    }

    record CleanupFailed(String member, String message) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.cleanupFailed(this);
        }

        public String progress() {
            return null;
        }
    }

    record StartReplacement(String rack, String member, String cause) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.startReplacement(this);
        }

        public String progress() {
            return "starting the replacement of member " + member + " on an empty disk: " + cause;
        }
    }

    record ContinueReplacement(String rack, String member, String cause) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.continueReplacement(this);
        }

        public String progress() {
            return "replacing member " + member + " on an empty disk (" + cause + ")";
        }
    }

    /** A member must be replaced but no other replica can hold its data (see {@link ReplacementRefusal}): nothing is touched. */
    record ReplacementRefused(String rack, String member, String cause, String message) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.replacementRefused(this);
        }

        public String progress() {
            return null;
        }
    }

    /**
     * The Node of a member's volume is absent and the operator waits for it to come back: until {@code replaceAt}, or,
     * with replacement on node loss off ({@code replaceAt} null), until it comes back or a user asks for the replacement.
     */
    record AwaitNodeReturn(String member, String evidence, Instant since, Instant replaceAt) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.awaitNodeReturn(this);
        }

        public String progress() {
            String absent = "member " + member + " is not ready and " + evidence + (since == null ? "" : " since " + since);
            return replaceAt == null
                    ? absent + "; replacement on node loss is off (spec.nodeLoss.replace: false): bring the Node back, or label its Service "
                        + Labels.REPLACE + "=true to replace it on an empty disk"
                    : absent + "; it is replaced on an empty disk at " + replaceAt + " unless the Node comes back";
        }
    }

    /**
     * The rack's highest member is not ready and its bootstrap, if that is what it is doing, cannot or need not finish:
     * ask its agent whether Cassandra ever reached NORMAL on its volume; only if never, record the abandonment (act
     * then stops the member and empties its volume). {@code cause} says why it cannot finish or is not wanted.
     */
    record AbandonBootstrap(String rack, int ordinal, String member, String cause) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.abandonBootstrap(this);
        }

        public String progress() {
            return "abandoning the bootstrap of member " + member + " of rack " + rack + " if it never joined the ring: " + cause;
        }
    }

    /**
     * An abandonment is recorded: lower the replicas, stop the pod, delete the recorded claims by UID, wait for every
     * ready member's ring to forget the member's address, then delete its Service (which carries the records).
     */
    record ContinueAbandonedBootstrap(String rack, int ordinal, String member, String cause) implements ScaleStep {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.continueAbandonedBootstrap(this);
        }

        public String progress() {
            return "abandoning the bootstrap of member " + member + " of rack " + rack + " (" + cause
                    + "): stopping it, emptying its volume and waiting for the ring to forget it";
        }
    }
}
