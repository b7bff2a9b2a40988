package io.berth.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strategies and constraints as RunTask and CreateService carry them: {type, field} and {type, expression}. */
class PlacementWireFormTest {

    @ParameterizedTest(name = "{0}({1}) -> {2}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', nullValues = "null", textBlock = """
            binpack ; cpu                             ; Binpack[resource=CPU]
            binpack ; memory                          ; Binpack[resource=MEMORY]
            BINPACK ; MEMORY                          ; Binpack[resource=MEMORY]
            spread  ; instanceId                      ; Spread[field=instanceId]
            spread  ; host                            ; Spread[field=host]
            spread  ; attribute:ecs.availability-zone ; Spread[field=attribute:ecs.availability-zone]
            random  ; null                            ; Random[]
            random  ; cpu                             ; Random[]
            """)
    void strategies(String type, String field, String parsed) {
        assertThat(PlacementStrategy.of(type, field)).hasToString(parsed);
    }

    @ParameterizedTest(name = "{0}({1}) -> {2}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', nullValues = "null", textBlock = """
            binpack    ; disk       ; Invalid field 'disk' for the binpack placement strategy: expected cpu or memory.
            binpack    ; null       ; The binpack placement strategy requires a field: cpu or memory.
            spread     ; zone       ; Invalid field 'zone' for the spread placement strategy: expected instanceId, host or attribute:NAME.
            spread     ; attribute: ; Invalid field 'attribute:' for the spread placement strategy
            spread     ; null       ; The spread placement strategy requires a field
            roundrobin ; cpu        ; Invalid placement strategy type 'roundrobin': expected binpack, spread or random.
            null       ; cpu        ; A placement strategy type is required
            """)
    void invalidStrategies(String type, String field, String message) {
        assertThatThrownBy(() -> PlacementStrategy.of(type, field))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}({1})")
    @CsvSource(delimiter = ';', quoteCharacter = '`', nullValues = "null", textBlock = """
            distinctInstance ; null                               ; distinctInstance
            distinctInstance ; ``                                 ; distinctInstance
            memberOf         ; attribute:ecs.instance-type =~ t2.* ; memberOf
            memberof         ; task:group == service:db            ; memberOf
            """)
    void constraints(String type, String expression, String parsedType) {
        PlacementConstraint c = PlacementConstraint.of(type, expression);
        assertThat(c.type()).isEqualTo(parsedType);
        if (c instanceof PlacementConstraint.MemberOf m) {
            assertThat(m.query().expression()).isEqualTo(expression);
        }
    }

    @ParameterizedTest(name = "{0}({1})")
    @CsvSource(delimiter = ';', quoteCharacter = '`', nullValues = "null", textBlock = """
            distinctInstance ; attribute:a exists ; A distinctInstance placement constraint cannot have an expression.
            memberOf         ; null               ; A memberOf placement constraint requires an expression.
            memberOf         ; attribute:a ==     ; Invalid cluster query at character 15: expected a value
            sameHost         ; null               ; Invalid placement constraint type 'sameHost': expected distinctInstance or memberOf.
            """)
    void invalidConstraints(String type, String expression, String message) {
        assertThatThrownBy(() -> PlacementConstraint.of(type, expression))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining(message);
    }

    @Test
    void expressionsAreAtMost2000Characters() {
        String longest = "attribute:a == " + "x".repeat(2000 - 15);
        assertThat(PlacementConstraint.memberOf(longest).query().expression()).hasSize(2000);
        assertThatThrownBy(() -> PlacementConstraint.memberOf(longest + "x"))
                .isInstanceOf(BerthException.class).hasMessageContaining("at most 2000 characters");
    }
}
