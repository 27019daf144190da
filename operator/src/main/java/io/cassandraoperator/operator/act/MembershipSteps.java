package io.cassandraoperator.operator.act;

import io.cassandraoperator.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.Service;

import java.util.Map;

/** Takes the membership step the plan decided, through the act step that owns it. */
final class MembershipSteps implements ScaleStep.Visitor<StepOutcome> {
    private final AddMemberStep add;
    private final DecommissionStep decommission;
    private final CleanupStep cleanup;
    private final ReplaceStep replace;
    private final AbandonBootstrapStep abandon;
    private final Map<String, Service> services;
    private final Map<String, String> membersConfig;

    MembershipSteps(StepContext context, LiveReads live, Map<String, Service> services, Map<String, String> membersConfig) {
        this.cleanup = new CleanupStep(context);
        this.add = new AddMemberStep(context, cleanup);
        this.decommission = new DecommissionStep(context);
        this.replace = new ReplaceStep(context, live);
        this.abandon = new AbandonBootstrapStep(context);
        this.services = services;
        this.membersConfig = membersConfig;
    }

    @Override
    public StepOutcome steady(ScaleStep.Steady step) {
        return StepOutcome.nothingToDo(step);
    }

    @Override
    public StepOutcome waitFor(ScaleStep.Wait step) {
        return StepOutcome.nothingToDo(step);
    }

    @Override
    public StepOutcome addMember(ScaleStep.AddMember step) {
        return add.run(step, services, membersConfig);
    }

    @Override
    public StepOutcome startDecommission(ScaleStep.StartDecommission step) {
        return decommission.start(step);
    }

    @Override
    public StepOutcome continueDecommission(ScaleStep.ContinueDecommission step) {
        return decommission.proceed(step);
    }

    @Override
    public StepOutcome removeMember(ScaleStep.RemoveMember step) {
        return decommission.remove(step);
    }

    @Override
    public StepOutcome verifyDecommission(ScaleStep.VerifyDecommission step) {
        return decommission.verify(step);
    }

    @Override
    public StepOutcome decommissionUnconfirmed(ScaleStep.DecommissionUnconfirmed step) {
        return StepOutcome.nothingToDo(step);
    }

    @Override
    public StepOutcome decommissionFailed(ScaleStep.DecommissionFailed step) {
        return decommission.failed(step);
    }

    @Override
    public StepOutcome cancelDecommission(ScaleStep.CancelDecommission step) {
        return decommission.cancel(step);
    }

    @Override
    public StepOutcome retryDecommission(ScaleStep.RetryDecommission step) {
        return decommission.retry(step);
    }

    @Override
    public StepOutcome startCleanup(ScaleStep.StartCleanup step) {
        return cleanup.start(step);
    }

    @Override
    public StepOutcome continueCleanup(ScaleStep.ContinueCleanup step) {
        return cleanup.proceed(step);
    }

    @Override
    public StepOutcome cleanupFailed(ScaleStep.CleanupFailed step) {
        return StepOutcome.nothingToDo(step);
    }

    @Override
    public StepOutcome startReplacement(ScaleStep.StartReplacement step) {
        return replace.start(step);
    }

    @Override
    public StepOutcome replacementRefused(ScaleStep.ReplacementRefused step) {
        return replace.refuse(step);
    }

    /** Polled: the grace period ends without any event to wake the reconciler. */
    @Override
    public StepOutcome awaitNodeReturn(ScaleStep.AwaitNodeReturn step) {
        return new StepOutcome(null, step.replaceAt() != null, step);
    }

    @Override
    public StepOutcome continueReplacement(ScaleStep.ContinueReplacement step) {
        return replace.proceed(step, membersConfig);
    }

    @Override
    public StepOutcome abandonBootstrap(ScaleStep.AbandonBootstrap step) {
        return abandon.start(step);
    }

    @Override
    public StepOutcome continueAbandonedBootstrap(ScaleStep.ContinueAbandonedBootstrap step) {
        return abandon.proceed(step);
    }
}
