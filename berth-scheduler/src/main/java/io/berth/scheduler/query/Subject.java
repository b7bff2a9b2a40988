package io.berth.scheduler.query;

import static io.berth.scheduler.query.Operator.EQUALS;
import static io.berth.scheduler.query.Operator.EXISTS;
import static io.berth.scheduler.query.Operator.GREATER_THAN;
import static io.berth.scheduler.query.Operator.GREATER_THAN_EQUAL;
import static io.berth.scheduler.query.Operator.IN;
import static io.berth.scheduler.query.Operator.LESS_THAN;
import static io.berth.scheduler.query.Operator.LESS_THAN_EQUAL;
import static io.berth.scheduler.query.Operator.MATCHES;
import static io.berth.scheduler.query.Operator.NOT_EQUALS;
import static io.berth.scheduler.query.Operator.NOT_EXISTS;
import static io.berth.scheduler.query.Operator.NOT_IN;
import static io.berth.scheduler.query.Operator.NOT_MATCHES;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a comparison looks at, with the operators ECS documents as valid for it. ECS lists no
 * operators for {@code attribute:NAME} (all are accepted) nor for {@code task:group} (Berth accepts
 * the string operators and exists).
 */
enum Subject {
    ATTRIBUTE("attribute:NAME", EnumSet.allOf(Operator.class)),
    AGENT_CONNECTED("agentConnected", EnumSet.of(EQUALS, NOT_EQUALS, IN, NOT_IN, MATCHES, NOT_MATCHES)),
    AGENT_VERSION("agentVersion", EnumSet.of(EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_THAN_EQUAL, LESS_THAN,
            LESS_THAN_EQUAL)),
    EC2_INSTANCE_ID("ec2InstanceId", EnumSet.of(EQUALS, NOT_EQUALS, IN, NOT_IN, MATCHES, NOT_MATCHES)),
    REGISTERED_AT("registeredAt", EnumSet.of(EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_THAN_EQUAL, LESS_THAN,
            LESS_THAN_EQUAL)),
    RUNNING_TASKS_COUNT("runningTasksCount", EnumSet.of(EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_THAN_EQUAL,
            LESS_THAN, LESS_THAN_EQUAL)),
    TASK_GROUP("task:group", EnumSet.of(EQUALS, NOT_EQUALS, IN, NOT_IN, MATCHES, NOT_MATCHES, EXISTS, NOT_EXISTS));

    static final String ATTRIBUTE_PREFIX = "attribute:";
    static final String ALL = "attribute:NAME, agentConnected, agentVersion, ec2InstanceId, registeredAt, "
            + "runningTasksCount or task:group";

    final String display;
    final Set<Operator> operators;

    Subject(String display, Set<Operator> operators) {
        this.display = display;
        this.operators = operators;
    }

    /** The subject spelled {@code word} (case-insensitive), other than attribute:NAME; null if none. */
    static Subject named(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        for (Subject s : values()) {
            if (s != ATTRIBUTE && s.display.toLowerCase(Locale.ROOT).equals(w)) {
                return s;
            }
        }
        return null;
    }

    String operatorList() {
        return operators.stream().map(Operator::display).collect(Collectors.joining(", "));
    }
}
