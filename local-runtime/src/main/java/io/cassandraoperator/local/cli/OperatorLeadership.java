package io.cassandraoperator.local.cli;

import io.cassandraoperator.api.Contract;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which of the runtime's operators holds the leader-election Lease, as {@code status} shows it. */
final class OperatorLeadership {
    static final String LEASE_NAME = Contract.Leadership.LEASE_NAME;

    private OperatorLeadership() {
    }

    /** The operator that holds the Lease, if one of those running does. */
    static Optional<RunningOperator> leader(List<RunningOperator> operators, Lease lease) {
        String holder = holder(lease);
        return operators.stream().filter(o -> !holder.isEmpty() && holder.equals(o.identity())).findFirst();
    }

    /** One line per operator (leader or standby), and one about the Lease when no running operator holds it. */
    static List<String> lines(List<RunningOperator> operators, Lease lease, ZonedDateTime now) {
        List<String> lines = new ArrayList<>();
        Optional<RunningOperator> leader = leader(operators, lease);
        for (RunningOperator operator : operators) {
            boolean leads = leader.map(l -> l.slot() == operator.slot()).orElse(false);
            lines.add("operator " + operator.slot() + " (pid " + operator.process().pid() + ", " + operator.identity() + "): "
                    + (leads ? "leader, holds Lease " + OperatorProcess.LEASE_NAMESPACE + "/" + LEASE_NAME
                    : "standby"));
        }
        if (operators.isEmpty()) {
            lines.add("operator: not running");
        }
        if (leader.isEmpty()) {
            String holder = holder(lease);
            if (holder.isEmpty()) {
                lines.add("Lease " + OperatorProcess.LEASE_NAMESPACE + "/" + LEASE_NAME + ": held by nobody yet");
            } else {
                LeaseSpec spec = lease.getSpec();
                String renewed = spec.getRenewTime() == null ? "never renewed"
                        : "renewed " + Duration.between(spec.getRenewTime(), now).toSeconds() + " s ago";
                lines.add("Lease " + OperatorProcess.LEASE_NAMESPACE + "/" + LEASE_NAME + ": held by " + holder
                        + ", which no longer runs (" + renewed + "; a standby takes over "
                        + Optional.ofNullable(spec.getLeaseDurationSeconds()).orElse(15) + " s after the last renewal)");
            }
        }
        return lines;
    }

    private static String holder(Lease lease) {
        return lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null ? ""
                : lease.getSpec().getHolderIdentity();
    }
}
