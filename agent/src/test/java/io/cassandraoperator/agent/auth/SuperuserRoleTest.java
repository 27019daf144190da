package io.cassandraoperator.agent.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The CQL literals of a user's own role name and password (a pre-created Secret may hold any characters). */
class SuperuserRoleTest {

    @Test
    void roleNamesAreQuotedIdentifiers() {
        assertThat(SuperuserRole.quotedName("cassandra-superuser")).isEqualTo("\"cassandra-superuser\"");
        assertThat(SuperuserRole.quotedName("we\"ird")).isEqualTo("\"we\"\"ird\"");
    }

    @Test
    void passwordsAreStringLiteralsWithQuotesDoubled() {
        assertThat(SuperuserRole.quotedString("abc_DEF-123")).isEqualTo("'abc_DEF-123'");
        assertThat(SuperuserRole.quotedString("it's'; DROP ROLE x; --")).isEqualTo("'it''s''; DROP ROLE x; --'");
    }

    @Test
    void theDefaultRoleIsCassandrasWellKnownOne() {
        assertThat(SuperuserRole.DEFAULT_ROLE.username()).isEqualTo("cassandra");
        assertThat(SuperuserRole.DEFAULT_ROLE.toString()).doesNotContain("password=cassandra");
    }
}
