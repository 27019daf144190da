package io.cassandraoperator.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionNumberTest {
    @Test
    void ordersNumericallyNotAlphabetically() {
        assertThat(VersionNumber.parse("5.0.10")).isGreaterThan(VersionNumber.parse("5.0.9"));
        assertThat(VersionNumber.parse("4.1.6")).isLessThan(VersionNumber.parse("5.0.0"));
        assertThat(VersionNumber.parse("5.0.6")).isEqualByComparingTo(new VersionNumber(5, 0, 6));
    }

    @Test
    void refusesWhatIsNotAReleaseNumber() {
        assertThatThrownBy(() -> VersionNumber.parse("latest")).hasMessageContaining("'latest'");
        assertThatThrownBy(() -> VersionNumber.parse("5.0")).isInstanceOf(IllegalArgumentException.class);
    }
}
