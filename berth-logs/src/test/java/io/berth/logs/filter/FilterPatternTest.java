package io.berth.logs.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Filter patterns against messages, one row per case: pattern | message | matches. */
class FilterPatternTest {

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ''                              | anything                           | true
            ERROR                           | [ERROR 400] BAD REQUEST            | true
            ERROR                           | error in lower case                | false
            ERROR Exception                 | ERROR: NullPointerException        | true
            ERROR Exception                 | ERROR only                         | false
            ?ERROR ?WARN                    | WARN disk                          | true
            ?ERROR ?WARN                    | INFO fine                          | false
            -DEBUG                          | INFO fine                          | true
            -DEBUG                          | DEBUG noise                        | false
            ERROR -timeout                  | ERROR timeout talking to db        | false
            ERROR -timeout                  | ERROR refused                      | true
            "user not found"                | 2024 user not found: bob           | true
            "user not found"                | user was not found                 | false
            -"health check"                 | GET /healthz                       | true
            %[0-9]{3}ms%                    | took 250ms                         | true
            %^GET%                          | POST /x                            | false
            '{ $.level = "error" }'         | '{"level":"error"}'                | true
            '{ $.level = "error" }'         | '{"level":"info"}'                 | false
            '{ $.level = "error" }'         | level=error                        | false
            '{ $.level = "err*" }'          | '{"level":"errors"}'               | true
            '{ $.level != "error" }'        | '{"level":"info"}'                 | true
            '{ $.level != "error" }'        | '{"other":1}'                      | false
            '{ $.latency > 100 }'           | '{"latency":250}'                  | true
            '{ $.latency > 100 }'           | '{"latency":50}'                   | false
            '{ $.latency >= 50 }'           | '{"latency":50}'                   | true
            '{ $.latency = 50 }'            | '{"latency":50.0}'                 | true
            '{ $.a.b[1] = 2 }'              | '{"a":{"b":[1,2]}}'                | true
            '{ $.flag IS TRUE }'            | '{"flag":true}'                    | true
            '{ $.flag IS FALSE }'           | '{"flag":true}'                    | false
            '{ $.x IS NULL }'               | '{"x":null}'                       | true
            '{ $.x NOT EXISTS }'            | '{"y":1}'                          | true
            '{ $.x NOT EXISTS }'            | '{"x":1}'                          | false
            '{ $.a = 1 && $.b = 2 }'        | '{"a":1,"b":2}'                    | true
            '{ $.a = 1 && $.b = 2 }'        | '{"a":1,"b":3}'                    | false
            '{ $.a = 1 || $.b = 2 }'        | '{"a":0,"b":2}'                    | true
            '{ ($.a = 1 || $.a = 2) && $.b = "x" }' | '{"a":2,"b":"x"}'          | true
            '{ ($.a = 1 || $.a = 2) && $.b = "x" }' | '{"a":3,"b":"x"}'          | false
            '{ $.msg = %time.ut% }'         | '{"msg":"timeout"}'                | true
            '[ip, user, status = 404, size]' | 10.0.0.1 bob 404 512              | true
            '[ip, user, status = 404, size]' | 10.0.0.1 bob 200 512              | false
            '[ip, user, status = 404, size]' | 10.0.0.1 bob 404                  | false
            '[..., status >= 500]'          | GET /x 503                         | true
            '[..., status >= 500]'          | GET /x 204                         | false
            '[ip, ts, request = "GET*", ...]' | '1.2.3.4 [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.0" 200' | true
            """)
    void matches(String pattern, String message, boolean matches) {
        assertThat(FilterPattern.compile(pattern).test(message)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{ $.a = ", "{ a = 1 }", "{ $.a ~ 1 }", "\"open", "%[a%", "{ $.a > \"x\" }",
            "{ $.a = 1 } trailing", "?", "[a, b"})
    void malformedPatternsAreInvalidParameters(String pattern) {
        assertThatThrownBy(() -> FilterPattern.compile(pattern))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    }
}
