package io.berth.aws.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ShapeValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = """
            {"metadata":{"targetPrefix":"T","signingName":"t","jsonVersion":"1.1"},
             "operations":{"Op":{"input":{"shape":"In"}}},
             "shapes":{
               "In":{"type":"structure","required":["name"],"members":{
                  "name":{"shape":"Name"},"count":{"shape":"Count"},"items":{"shape":"Items"},
                  "kind":{"shape":"Kind"},"flag":{"shape":"Bool"},"labels":{"shape":"Labels"},
                  "nested":{"shape":"In2"},"at":{"shape":"Time"}}},
               "In2":{"type":"structure","required":["id"],"members":{"id":{"shape":"Str"}}},
               "Name":{"type":"string","min":1,"max":5,"pattern":"[a-z]+"},
               "Str":{"type":"string"},
               "Count":{"type":"integer","min":0,"max":10},
               "Items":{"type":"list","member":{"shape":"In2"},"max":2},
               "Kind":{"type":"string","enum":["A","B"]},
               "Bool":{"type":"boolean"},
               "Time":{"type":"timestamp"},
               "Labels":{"type":"map","key":{"shape":"Str"},"value":{"shape":"Str"}}}}
            """;
    private final ShapeValidator validator = new ShapeValidator(ServiceModel.parse(read(MODEL)));

    @Test
    void keepsKnownMembersAndDropsUnknownOnesAndNulls() {
        JsonNode clean = validator.validate("In", read("""
                {"name":"abc","count":3,"extra":1,"kind":null,"items":[{"id":"x","junk":true}],"labels":{"k":"v"}}"""));
        assertThat(clean.toString()).isEqualTo("{\"name\":\"abc\",\"count\":3,\"items\":[{\"id\":\"x\"}],\"labels\":{\"k\":\"v\"}}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}|1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
        "{\"name\":\"abcdef\"}|1 validation error detected: Value 'abcdef' at 'name' failed to satisfy constraint: Member must have length less than or equal to 5",
        "{\"name\":\"AB\"}|1 validation error detected: Value 'AB' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+",
        "{\"name\":\"a\",\"count\":11}|1 validation error detected: Value '11' at 'count' failed to satisfy constraint: Member must have value less than or equal to 10",
        "{\"name\":\"a\",\"kind\":\"C\"}|1 validation error detected: Value 'C' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [A, B]",
        "{\"name\":\"a\",\"items\":[{}]}|1 validation error detected: Value null at 'items.1.member.id' failed to satisfy constraint: Member must not be null",
        "{\"count\":-1}|2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; Value '-1' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 0",
    })
    void reportsConstraintViolationsInAwsWords(String input, String message) {
        assertThatThrownBy(() -> validator.validate("In", read(input)))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"name\":1}",
        "{\"name\":\"a\",\"count\":\"3\"}",
        "{\"name\":\"a\",\"count\":1.5}",
        "{\"name\":\"a\",\"count\":99999999999}",
        "{\"name\":\"a\",\"flag\":\"true\"}",
        "{\"name\":\"a\",\"items\":{}}",
        "{\"name\":\"a\",\"nested\":[]}",
        "{\"name\":{\"a\":1}}",
        "{\"name\":\"a\",\"at\":\"yesterday\"}",
        "{\"name\":\"a\",\"labels\":[1]}",
    })
    void refusesWrongJsonTypesAsSerializationErrors(String input) {
        assertThatThrownBy(() -> validator.validate("In", read(input)))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION));
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
