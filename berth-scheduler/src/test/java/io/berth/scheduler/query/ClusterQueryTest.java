package io.berth.scheduler.query;

import static io.berth.scheduler.snapshot.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.task.Allocation;
import io.berth.core.task.TaskStatus;
import io.berth.scheduler.snapshot.InstanceView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterQueryTest {
    /** A t2.small in us-east-1a with one RUNNING, one PENDING and one STOPPED task. */
    private static final InstanceView BUSY = instance("busy")
            .ec2InstanceId("i-abcd1234").agentVersion("1.14.5").registeredAt("2018-06-18T22:28:28Z")
            .attribute("ecs.instance-type", "t2.small").az("us-east-1a").attribute("stack", "prod")
            .attribute("flag", null).attribute("num", "10")
            .task("service:production", TaskStatus.RUNNING, Allocation.NONE)
            .task("family:batch", TaskStatus.PENDING, Allocation.NONE)
            .task("database", TaskStatus.STOPPED, Allocation.NONE)
            .build();

    /** Nothing set: no attributes, no EC2 id, no agent version, no tasks, agent disconnected. */
    private static final InstanceView BARE = instance("bare").agentVersion(null)
            .registeredAt("2020-01-01T00:00:00Z").disconnected().build();

    @ParameterizedTest(name = "{0} -> busy {1}, bare {2}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
            # ECS's documented examples
            attribute:ecs.instance-type == t2.small                                               ; true ; false
            attribute:ecs.availability-zone in [us-east-1a, us-east-1b]                           ; true ; false
            attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d ; false ; false
            attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d ; true ; false
            task:group == service:production                                                      ; true ; false
            not(task:group == database)                                                           ; true ; true
            runningTasksCount == 1                                                                ; true ; false
            agentVersion < 1.14.10                                                                ; true ; false
            registeredAt < 2018-02-13                                                             ; false ; false
            ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']                                         ; true ; false
            attribute:stack != prod                                                               ; false ; false
            attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a ; true ; false
            # == and != (string equality); != needs the attribute, as ECS's example says
            attribute:stack equals prod                                                           ; true ; false
            attribute:stack == dev                                                                ; false ; false
            attribute:stack != dev                                                                ; true ; false
            attribute:stack not_equals dev                                                        ; true ; false
            attribute:missing == prod                                                             ; false ; false
            attribute:missing != prod                                                             ; false ; false
            attribute:flag == ''                                                                  ; false ; false
            attribute:stack == 'prod'                                                             ; true ; false
            attribute:stack == "prod"                                                             ; true ; false
            attribute:stack==prod                                                                 ; true ; false
            # ordering: dotted numbers as versions, numbers numerically, else strings
            attribute:num > 9                                                                     ; true ; false
            attribute:num greater_than 10                                                         ; false ; false
            attribute:num >= 10                                                                   ; true ; false
            attribute:num greater_than_equal 11                                                   ; false ; false
            attribute:num < 9.5                                                                   ; false ; false
            attribute:num less_than 10.0.1                                                        ; true ; false
            attribute:num <= 10                                                                   ; true ; false
            attribute:num less_than_equal -1                                                      ; false ; false
            attribute:ecs.instance-type > t2.medium                                               ; true ; false
            # exists
            attribute:stack exists                                                                ; true ; false
            attribute:flag exists                                                                 ; true ; false
            attribute:missing exists                                                              ; false ; false
            attribute:missing !exists                                                             ; true ; true
            attribute:stack not_exists                                                            ; false ; true
            # in, !in: ECS's [..], and (..)
            attribute:ecs.availability-zone in (us-east-1b, us-east-1c)                           ; false ; false
            attribute:ecs.availability-zone !in [us-east-1b]                                      ; true ; false
            attribute:ecs.availability-zone not_in [us-east-1a]                                   ; false ; false
            attribute:missing !in [x]                                                             ; false ; false
            attribute:ecs.availability-zone in ["us-east-1a"]                                     ; true ; false
            # =~, !~: Java regular expressions matching the whole value
            attribute:ecs.instance-type =~ t2.*                                                   ; true ; false
            attribute:ecs.instance-type matches t2                                                ; false ; false
            attribute:ecs.instance-type =~ (t2|m5)\\..*                                           ; true ; false
            attribute:ecs.instance-type =~ 't[0-9]\\.(small|large)'                               ; true ; false
            attribute:ecs.instance-type !~ g2.*                                                   ; true ; false
            attribute:ecs.instance-type not_matches t2.*                                          ; false ; false
            # agentConnected
            agentConnected == true                                                                ; true ; false
            agentConnected == FALSE                                                               ; false ; true
            agentConnected != false                                                               ; true ; false
            agentConnected in [true]                                                              ; true ; false
            agentConnected !in [true]                                                             ; false ; true
            agentConnected =~ t.*                                                                 ; true ; false
            agentConnected !~ t.*                                                                 ; false ; true
            # agentVersion
            agentVersion == 1.14.5                                                                ; true ; false
            agentVersion != 1.14.5                                                                ; false ; false
            agentVersion > 1.9                                                                    ; true ; false
            agentVersion >= 1.14.5                                                                ; true ; false
            agentVersion <= 1.2                                                                   ; false ; false
            agentVersion less_than_equal 1.14.5                                                   ; true ; false
            # ec2InstanceId
            ec2InstanceId == i-abcd1234                                                           ; true ; false
            ec2InstanceId != i-abcd1234                                                           ; false ; false
            ec2InstanceId !in [i-abcd1234]                                                        ; false ; false
            ec2InstanceId =~ 'i-[a-z0-9]+'                                                        ; true ; false
            ec2InstanceId !~ 'i-[a-z0-9]+'                                                        ; false ; false
            # registeredAt: a date is its whole UTC day, a date-time its second
            registeredAt == 2018-06-18                                                            ; true ; false
            registeredAt != 2018-06-18                                                            ; false ; true
            registeredAt < 2018-06-19                                                             ; true ; false
            registeredAt < 2018-06-18                                                             ; false ; false
            registeredAt > 2018-06-17                                                             ; true ; true
            registeredAt > 2018-06-18                                                             ; false ; true
            registeredAt >= 2018-06-18                                                            ; true ; true
            registeredAt <= 2018-06-18                                                            ; true ; false
            registeredAt == 2018-06-18T22:28:28Z                                                  ; true ; false
            registeredAt == 2018-06-18T22:28:28+00:00                                             ; true ; false
            registeredAt == 2018-06-18T22:28:28                                                   ; true ; false
            registeredAt == 2018-06-19T00:28:28+02:00                                             ; true ; false
            registeredAt != 2018-06-18T22:28:29Z                                                  ; true ; true
            registeredAt > 2018-06-18T22:28:27Z                                                   ; true ; true
            registeredAt < 2018-06-18T22:28:28Z                                                   ; false ; false
            registeredAt <= 2018-06-18T22:28:28Z                                                  ; true ; false
            # runningTasksCount: started, not STOPPED
            runningTasksCount != 1                                                                ; false ; true
            runningTasksCount > 0                                                                 ; true ; false
            runningTasksCount >= 2                                                                ; false ; false
            runningTasksCount < 2                                                                 ; true ; true
            runningTasksCount <= 0                                                                ; false ; true
            # task:group: true when some live task on the instance satisfies it
            task:group == database                                                                ; false ; false
            task:group != service:production                                                      ; true ; false
            task:group in [database, family:batch]                                                ; true ; false
            task:group !in [service:production, family:batch]                                     ; false ; false
            task:group =~ 'service:.*'                                                            ; true ; false
            task:group !~ 'service:.*'                                                            ; true ; false
            task:group exists                                                                     ; true ; false
            task:group !exists                                                                    ; false ; true
            # compounds: ! binds tightest, then &&, then ||; keywords in any case
            !(task:group == service:production)                                                   ; false ; true
            !attribute:stack == dev                                                               ; true ; true
            attribute:stack == dev && attribute:stack == x || runningTasksCount == 1              ; true ; false
            attribute:stack == dev && (attribute:stack == x || runningTasksCount == 1)            ; false ; false
            NOT attribute:stack == dev AND runningTasksCount == 1                                 ; true ; false
            attribute:stack==prod&&runningTasksCount==1                                           ; true ; false
            attribute:stack == prod or attribute:x exists and attribute:y exists                  ; true ; false
            ( ( attribute:stack == prod ) )                                                       ; true ; false
            not not attribute:stack == prod                                                       ; true ; false
            agentConnected == false || attribute:stack == prod                                    ; true ; true
            """)
    void matches(String expression, boolean busy, boolean bare) {
        ClusterQuery query = ClusterQuery.parse(expression);
        assertThat(query.matches(BUSY)).as("busy").isEqualTo(busy);
        assertThat(query.matches(BARE)).as("bare").isEqualTo(bare);
        ClusterQuery again = ClusterQuery.parse(query.canonical());
        assertThat(again.matches(BUSY)).as("canonical %s on busy", query.canonical()).isEqualTo(busy);
        assertThat(again.matches(BARE)).as("canonical %s on bare", query.canonical()).isEqualTo(bare);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
            ``                                      ; the expression is empty
            `   `                                   ; the expression is empty
            foo == bar                              ; at character 1: expected a subject (attribute:NAME, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group), found 'foo'.
            !                                       ; at character 2: expected a subject
            attribute:stack                         ; at character 16: expected an operator (==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~), found the end of the expression.
            attribute:stack = prod                  ; at character 17: expected an operator (==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~), found '='.
            attribute:stack ==                      ; at character 19: expected a value
            attribute: == x                         ; at character 11: expected an attribute name after 'attribute:'
            attribute:stack == prod extra           ; at character 25: expected '&&', '||', 'and', 'or' or the end of the expression, found 'extra'.
            (attribute:stack == prod                ; at character 25: expected ')' to close the '(' at character 1
            attribute:stack in prod                 ; at character 20: expected a list of values such as [a, b], found 'prod'.
            attribute:stack in [a, b                ; at character 25: expected ',' or ']' to close the list opened at character 20
            attribute:stack in []                   ; at character 21: expected a value
            attribute:stack == 'prod                ; at character 25: expected the closing ' of the value that starts at character 20
            attribute:stack =~ '['                  ; at character 20: expected a Java regular expression
            attribute:stack =~ (t2                  ; at character 20: expected a value (quote a value that holds an unbalanced '(')
            agentVersion in [1.0]                   ; at character 14: expected an operator valid for agentVersion (==, !=, >, >=, <, <=), found 'in'.
            agentConnected > true                   ; at character 16: expected an operator valid for agentConnected (==, !=, in, !in, =~, !~), found '>'.
            registeredAt exists                     ; at character 14: expected an operator valid for registeredAt
            registeredAt < yesterday                ; at character 16: expected a date such as 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18, found 'yesterday'.
            registeredAt < 2018-13-01               ; at character 16: expected a date
            runningTasksCount > many                ; at character 21: expected a whole number, found 'many'.
            agentConnected == yes                   ; at character 19: expected true or false, found 'yes'.
            attribute:a == b and                    ; at character 21: expected a subject
            attribute:a == b &&& attribute:c exists ; at character 20: expected a subject
            attribute:a == (b                       ; at character 16: expected a value
            attribute:a == )                        ; at character 16: expected a value
            task:group > 3                          ; at character 12: expected an operator valid for task:group
            attribute:a exists x                    ; at character 20: expected '&&', '||', 'and', 'or' or the end of the expression, found 'x'.
            attribute:a !inx [b]                    ; at character 13: expected an operator
            """)
    void parseErrorsSayWhereAndWhat(String expression, String message) {
        assertThatThrownBy(() -> ClusterQuery.parse(expression))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining(message);
    }

    @Test
    void knowsWhetherItDependsOnTasks() {
        assertThat(ClusterQuery.parse("attribute:a exists && agentConnected == true").dependsOnTasks()).isFalse();
        assertThat(ClusterQuery.parse("attribute:a exists || not(task:group == x)").dependsOnTasks()).isTrue();
        assertThat(ClusterQuery.parse("runningTasksCount < 3").dependsOnTasks()).isTrue();
    }

    @Test
    void keepsTheExpressionAndWritesACanonicalForm() {
        ClusterQuery q = ClusterQuery.parse("not(task:group == database) and attribute:az in [a, 'b c']");
        assertThat(q.expression()).isEqualTo("not(task:group == database) and attribute:az in [a, 'b c']");
        assertThat(q.canonical()).isEqualTo("(!(task:group == 'database') && attribute:az in ['a', 'b c'])");
        assertThat(q).isEqualTo(ClusterQuery.parse(q.expression()));
    }
}
