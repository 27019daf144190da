package io.cassandraoperator.operator.plan;

/** A member's answer this round: its agent's report, or why it could not be asked (then the report is null). */
public record MemberAnswer<R>(R report, String unreachable) {
    public static <R> MemberAnswer<R> of(R report) {
        return new MemberAnswer<>(report, null);
    }

    public static <R> MemberAnswer<R> unreachable(String why) {
        return new MemberAnswer<>(null, why);
    }
}
