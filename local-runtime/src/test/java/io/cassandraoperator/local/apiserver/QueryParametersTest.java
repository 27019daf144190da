package io.cassandraoperator.local.apiserver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParametersTest {

    /** k8s.io/apimachinery pkg/runtime/conversion.go, Convert_Slice_string_To_bool. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "False", "FALSE", "fAlSe"})
    void zeroAndFalseInAnyCaseAreFalse(String value) {
        assertThat(QueryParameters.of("/api/v1/pods?watch=" + value).flag("watch")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "True", "yes", "no", "f", "2", "%20false", ""})
    void everyOtherValueIsTrue(String value) {
        QueryParameters query = QueryParameters.of("/api/v1/pods?watch=" + value);
        assertThat(query.flag("watch")).isTrue();
        query.validate();
    }

    @Test
    void aParameterWithoutValueIsTrueAndAnAbsentOneFalse() {
        QueryParameters query = QueryParameters.of("/api/v1/pods?watch");
        assertThat(query.flag("watch")).isTrue();
        assertThat(query.flag("follow")).isFalse();
        assertThat(query.integer("limit")).isNull();
    }

    @Test
    void ofARepeatedParameterTheFirstValueCounts() {
        assertThat(QueryParameters.of("/api/v1/pods?watch=false&watch=true").flag("watch")).isFalse();
        assertThat(QueryParameters.of("/x?limit=1&limit=2").integer("limit")).isEqualTo(1);
    }

    @Test
    void integersAreDecimalWithAnOptionalSign() {
        assertThat(QueryParameters.of("/x?gracePeriodSeconds=30").integer("gracePeriodSeconds")).isEqualTo(30);
        assertThat(QueryParameters.of("/x?gracePeriodSeconds=%2B5").integer("gracePeriodSeconds")).isEqualTo(5);
        assertThat(QueryParameters.of("/x?gracePeriodSeconds=-1").integer("gracePeriodSeconds")).isEqualTo(-1);
        assertThat(QueryParameters.of("/x?limit=007").integer("limit")).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten", "1.5", "0x10", "1_000", "١٢", ""})
    void otherIntegersAreRefusedWith400(String value) {
        QueryParameters query = QueryParameters.of("/x?timeoutSeconds=" + URLEncoder.encode(value,
                StandardCharsets.UTF_8));
        assertThatThrownBy(() -> query.integer("timeoutSeconds")).isInstanceOf(ApiError.class)
                .hasMessageContaining("strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
    }

    @Test
    void integersBeyondSixtyFourBitsAreOutOfRange() {
        assertThatThrownBy(() -> QueryParameters.of("/x?limit=9223372036854775808").integer("limit"))
                .isInstanceOf(ApiError.class).hasMessageContaining("value out of range");
    }

    @Test
    void otherParametersAreLeftAsSent() {
        QueryParameters query = QueryParameters.of("/x?fieldValidation=Strict&pretty=yes&watch=yes");
        assertThat(query.get("fieldValidation")).isEqualTo("Strict");
        query.validate();
    }
}
