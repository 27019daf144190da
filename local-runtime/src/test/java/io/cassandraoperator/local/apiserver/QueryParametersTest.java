package io.cassandraoperator.local.apiserver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParametersTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
    void goTrueFormsAreTrue(String value) {
        assertThat(QueryParameters.of("/api/v1/pods?watch=" + value).flag("watch")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
    void goFalseFormsAreFalse(String value) {
        assertThat(QueryParameters.of("/api/v1/pods?watch=" + value).flag("watch")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "tRUE", "on", "2", " true"})
    void otherBooleansAreRefusedWith400(String value) {
        QueryParameters query = QueryParameters.of("/api/v1/pods?watch=" + value.replace(" ", "%20"));
        assertThatThrownBy(() -> query.flag("watch")).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.response().code()).isEqualTo(400))
                .hasMessageContaining("strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        assertThatThrownBy(query::validate).isInstanceOf(ApiError.class);
    }

    @Test
    void absentOrEmptyMeansTheDefault() {
        QueryParameters query = QueryParameters.of("/api/v1/pods?watch=&limit=");
        assertThat(query.flag("watch")).isFalse();
        assertThat(query.flag("follow")).isFalse();
        assertThat(query.integer("limit")).isNull();
        assertThat(query.integer("tailLines")).isNull();
        query.validate();
    }

    @Test
    void integersAreDecimalWithAnOptionalSign() {
        assertThat(QueryParameters.of("/x?gracePeriodSeconds=30").integer("gracePeriodSeconds")).isEqualTo(30);
        assertThat(QueryParameters.of("/x?gracePeriodSeconds=%2B5").integer("gracePeriodSeconds")).isEqualTo(5);
        assertThat(QueryParameters.of("/x?gracePeriodSeconds=-1").integer("gracePeriodSeconds")).isEqualTo(-1);
        assertThat(QueryParameters.of("/x?limit=007").integer("limit")).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten", "1.5", "0x10", "1_000", "١٢"})
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
        QueryParameters query = QueryParameters.of("/x?fieldValidation=Strict&pretty=yes&watch=true");
        assertThat(query.get("fieldValidation")).isEqualTo("Strict");
        query.validate();
    }
}
