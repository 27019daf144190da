package io.cassandraoperator.operator;

/** The one membership change the operator makes next, or why it makes none. */
sealed interface ScaleStep {
    /** What status reports while this step is the next one; null when there is nothing to wait for. */
    String progress();

    record Steady() implements ScaleStep {
        public String progress() {
            return null;
        }
    }

    record Wait(String progress) implements ScaleStep {
    }

    record AddMember(String rack, int ordinal, String member) implements ScaleStep {
        public String progress() {
            return "adding member " + member + " to rack " + rack;
        }
    }

    record StartDecommission(String rack, int ordinal, String member) implements ScaleStep {
        public String progress() {
            return "starting the decommission of member " + member + " of rack " + rack;
        }
    }

    record ContinueDecommission(String rack, int ordinal, String member) implements ScaleStep {
        public String progress() {
            return "waiting for member " + member + " of rack " + rack + " to finish its decommission";
        }
    }

    record RemoveMember(String rack, int ordinal, String member) implements ScaleStep {
        public String progress() {
            return "removing decommissioned member " + member + " of rack " + rack;
        }
    }

    record DecommissionFailed(String rack, String member, String message) implements ScaleStep {
        public String progress() {
            return null;
        }
    }

    record CancelDecommission(String rack, String member) implements ScaleStep {
        public String progress() {
            return "cancelling the failed decommission of member " + member + " (the spec wants it again)";
        }
    }

    record StartCleanup(String rack, String member, String runId) implements ScaleStep {
        public String progress() {
            return "starting the cleanup of member " + member + " after the scale-out";
        }
    }

    record ContinueCleanup(String rack, String member, String runId) implements ScaleStep {
        public String progress() {
            return "waiting for the cleanup of member " + member + " to finish";
        }
    }

    record CleanupFailed(String member, String message) implements ScaleStep {
        public String progress() {
            return null;
        }
    }

    record StartReplacement(String rack, String member, String cause) implements ScaleStep {
        public String progress() {
            return "starting the replacement of member " + member + " on an empty disk: " + cause;
        }
    }

    record ContinueReplacement(String rack, String member, String cause) implements ScaleStep {
        public String progress() {
            return "replacing member " + member + " on an empty disk (" + cause + ")";
        }
    }
}
