package io.cassandraoperator.local.apiserver.admission;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * One {@code x-kubernetes-validations} rule, compiled once. As in the API server, {@code self} is the value at the rule's
 * place in the object and {@code oldSelf} the value at the same place in the stored object; a rule that reads
 * {@code oldSelf} is a transition rule and is only evaluated on updates where the old value exists.
 */
final class CelRule {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .addLibraries(CelExtensions.strings())
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings())
            .build();

    private final String expression;
    private final String message;
    private final boolean transition;
    private final CelRuntime.Program program;

    CelRule(String expression, String message) {
        this.expression = expression;
        this.message = message;
        this.transition = expression.contains("oldSelf");
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            this.program = RUNTIME.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("CEL rule does not compile: " + expression + ": " + e.getMessage(), e);
        }
    }

    boolean isTransition() {
        return transition;
    }

    /** The message the user sees when the rule fails; the API server falls back to the rule text. */
    String failureMessage() {
        return message != null && !message.isBlank() ? message : "failed rule: " + expression;
    }

    /** True when the rule holds; an evaluation error counts as a failure, as the API server treats it. */
    boolean holds(Object self, Object oldSelf) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("self", self);
        if (transition) {
            vars.put("oldSelf", oldSelf);
        }
        try {
            return Boolean.TRUE.equals(program.eval(vars));
        } catch (CelEvaluationException e) {
            return false;
        }
    }
}
