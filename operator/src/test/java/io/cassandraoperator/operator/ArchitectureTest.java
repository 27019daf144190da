package io.cassandraoperator.operator;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's layering (docs/architecture.md): {@code model}, {@code observe} and {@code plan} are pure and never
 * touch the Kubernetes client; only {@code act} writes, to the API or to an agent; each layer uses only the ones
 * below it. Each rule is also run against a deliberate breach, so a rule that matches nothing fails here too.
 */
class ArchitectureTest {
    private static final String ROOT = "io.cassandraoperator.operator";
    /** The client calls that change something on the API server. */
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "replace", "edit", "createOrReplace",
            "serverSideApply", "updateStatus", "patchStatus", "editStatus", "replaceStatus", "apply", "createOr", "unlock");

    /** Classes from this module's directories only: scanning every jar for the package costs minutes on a busy machine. */
    private static final JavaClasses OPERATOR = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    private static final JavaClasses BREACH = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT + ".plan.violation");

    private static final ArchRule PURE_LAYERS_DO_NOT_USE_THE_CLIENT = noClasses()
            .that().resideInAnyPackage(ROOT + ".model..", ROOT + ".observe..", ROOT + ".plan..")
            .should().dependOnClassesThat().resideInAPackage("io.fabric8.kubernetes.client..")
            .because("desired objects, observations and decisions are pure functions; reads and writes go through act");

    private static final ArchRule ONLY_ACT_WRITES = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".act..")
            .should().callMethodWhere(new DescribedPredicate<JavaMethodCall>("a write through the Kubernetes client") {
                @Override
                public boolean test(JavaMethodCall call) {
                    return call.getTargetOwner().getPackageName().startsWith("io.fabric8.kubernetes.client")
                            && WRITES.contains(call.getName());
                }
            })
            .because("act is the only code that writes to the API");

    private static final ArchRule ONLY_ACT_CALLS_AGENTS = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".act..")
            .should().dependOnClassesThat().resideInAPackage("java.net.http..")
            .because("act is the only code that calls an agent");

    private static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("wiring").definedBy(ROOT)
            .layer("reconcile").definedBy(ROOT + ".reconcile..")
            .layer("act").definedBy(ROOT + ".act..")
            .layer("plan").definedBy(ROOT + ".plan..")
            .layer("observe").definedBy(ROOT + ".observe..")
            .layer("model").definedBy(ROOT + ".model..")
            .whereLayer("reconcile").mayOnlyBeAccessedByLayers("wiring")
            .whereLayer("act").mayOnlyBeAccessedByLayers("reconcile", "wiring")
            .whereLayer("plan").mayOnlyBeAccessedByLayers("act", "reconcile")
            .whereLayer("observe").mayOnlyBeAccessedByLayers("plan", "act", "reconcile")
            .whereLayer("model").mayOnlyBeAccessedByLayers("observe", "plan", "act", "reconcile", "wiring");

    @Test
    void modelObserveAndPlanNeverUseTheKubernetesClient() {
        PURE_LAYERS_DO_NOT_USE_THE_CLIENT.check(OPERATOR);
        assertThat(PURE_LAYERS_DO_NOT_USE_THE_CLIENT.evaluate(BREACH).hasViolation()).isTrue();
    }

    @Test
    void onlyActWrites() {
        ONLY_ACT_WRITES.check(OPERATOR);
        ONLY_ACT_CALLS_AGENTS.check(OPERATOR);
        EvaluationResult breach = ONLY_ACT_WRITES.evaluate(BREACH);
        assertThat(breach.getFailureReport().getDetails()).anySatisfy(line -> assertThat(line).contains("PlanThatWrites").contains("delete"));
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        LAYERS.check(OPERATOR);
    }
}
