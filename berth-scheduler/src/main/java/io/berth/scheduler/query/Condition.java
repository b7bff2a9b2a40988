package io.berth.scheduler.query;

import io.berth.core.instance.ContainerInstance;
import io.berth.scheduler.snapshot.InstanceView;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A parsed cluster query: comparisons combined with and, or, not. Immutable. */
sealed interface Condition permits Condition.And, Condition.Or, Condition.Not, Condition.StringComparison,
        Condition.RegisteredAt, Condition.RunningTasksCount {
    boolean test(InstanceView instance);

    /** Whether the answer depends on the tasks on the instance (task:group, runningTasksCount). */
    boolean dependsOnTasks();

    /** The condition written out with symbols, fully parenthesised, values quoted. */
    String canonical();

    record And(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(InstanceView instance) {
            return left.test(instance) && right.test(instance);
        }

        @Override
        public boolean dependsOnTasks() {
            return left.dependsOnTasks() || right.dependsOnTasks();
        }

        @Override
        public String canonical() {
            return "(" + left.canonical() + " && " + right.canonical() + ")";
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(InstanceView instance) {
            return left.test(instance) || right.test(instance);
        }

        @Override
        public boolean dependsOnTasks() {
            return left.dependsOnTasks() || right.dependsOnTasks();
        }

        @Override
        public String canonical() {
            return "(" + left.canonical() + " || " + right.canonical() + ")";
        }
    }

    record Not(Condition operand) implements Condition {
        @Override
        public boolean test(InstanceView instance) {
            return !operand.test(instance);
        }

        @Override
        public boolean dependsOnTasks() {
            return operand.dependsOnTasks();
        }

        @Override
        public String canonical() {
            return "!(" + operand.canonical() + ")";
        }
    }

    /**
     * {@code subject operator [argument]} for the string-valued subjects: attribute:NAME,
     * agentConnected, agentVersion, ec2InstanceId, task:group. A subject without a value on this
     * instance (an attribute not set or set without a value, no EC2 instance id, no agent version,
     * no live task for task:group) makes every comparison false except {@code !exists}; so
     * {@code attribute:stack != prod} selects the instances that have a stack attribute other than
     * prod, as ECS's example says. task:group is true when any live task on the instance satisfies
     * the comparison.
     *
     * @param attribute the attribute name for attribute:NAME, else null
     * @param test what a present value must satisfy (unused for exists and !exists)
     */
    record StringComparison(Subject subject, String attribute, Operator operator, List<String> arguments,
                            Predicate<String> test) implements Condition {

        @Override
        public boolean test(InstanceView view) {
            ContainerInstance instance = view.instance();
            return switch (subject) {
                case ATTRIBUTE -> attribute(instance);
                case AGENT_CONNECTED -> test.test(Boolean.toString(view.agentConnected()));
                case AGENT_VERSION -> instance.agentVersion() != null && test.test(instance.agentVersion());
                case EC2_INSTANCE_ID -> instance.ec2InstanceId() != null && test.test(instance.ec2InstanceId());
                case TASK_GROUP -> taskGroup(view.load().liveByGroup().keySet());
                case REGISTERED_AT, RUNNING_TASKS_COUNT ->
                        throw new IllegalStateException(subject + " has its own comparison");
            };
        }

        private boolean attribute(ContainerInstance instance) {
            ContainerInstance.Attribute found = null;
            for (ContainerInstance.Attribute a : instance.attributes()) {
                if (a.name().equals(attribute)) {
                    found = a;
                    break;
                }
            }
            return switch (operator) {
                case EXISTS -> found != null;
                case NOT_EXISTS -> found == null;
                default -> found != null && found.value() != null && test.test(found.value());
            };
        }

        private boolean taskGroup(java.util.Set<String> groups) {
            boolean any = !groups.isEmpty();
            if (!operator.takesNoArgument()) {
                for (String group : groups) {
                    if (test.test(group)) {
                        return true;
                    }
                }
            }
            return switch (operator) {
                case EXISTS -> any;
                case NOT_EXISTS -> !any;
                default -> false;
            };
        }

        @Override
        public boolean dependsOnTasks() {
            return subject == Subject.TASK_GROUP;
        }

        @Override
        public String canonical() {
            String s = subject == Subject.ATTRIBUTE ? Subject.ATTRIBUTE_PREFIX + attribute : subject.display;
            if (operator.takesNoArgument()) {
                return s + " " + operator.display();
            }
            if (operator.takesList()) {
                return s + " " + operator.display() + " ["
                        + arguments.stream().map(Condition::quote).collect(Collectors.joining(", ")) + "]";
            }
            return s + " " + operator.display() + " " + quote(arguments.get(0));
        }

        /** A test of string values for {@code operator} with {@code arguments} already checked. */
        static Predicate<String> test(Operator operator, List<String> arguments, Comparator<String> order) {
            return switch (operator) {
                case EQUALS -> arguments.get(0)::equals;
                case NOT_EQUALS -> v -> !arguments.get(0).equals(v);
                case GREATER_THAN, GREATER_THAN_EQUAL, LESS_THAN, LESS_THAN_EQUAL -> {
                    String a = arguments.get(0);
                    yield v -> operator.accepts(order.compare(v, a));
                }
                case IN -> Set.copyOf(arguments)::contains;
                case NOT_IN -> {
                    Set<String> set = Set.copyOf(arguments);
                    yield v -> !set.contains(v);
                }
                case MATCHES -> {
                    Pattern p = Pattern.compile(arguments.get(0));
                    yield v -> p.matcher(v).matches();
                }
                case NOT_MATCHES -> {
                    Pattern p = Pattern.compile(arguments.get(0));
                    yield v -> !p.matcher(v).matches();
                }
                case EXISTS, NOT_EXISTS -> v -> true;
            };
        }
    }

    /** {@code registeredAt operator date}: the registration time against the span the date names. */
    record RegisteredAt(Operator operator, String argument, Values.Span span) implements Condition {
        @Override
        public boolean test(InstanceView view) {
            Instant at = view.instance().registeredAt();
            return at != null && operator.accepts(span.locate(at));
        }

        @Override
        public boolean dependsOnTasks() {
            return false;
        }

        @Override
        public String canonical() {
            return Subject.REGISTERED_AT.display + " " + operator.display() + " " + quote(argument);
        }
    }

    /** {@code runningTasksCount operator n}. */
    record RunningTasksCount(Operator operator, long count) implements Condition {
        @Override
        public boolean test(InstanceView view) {
            return operator.accepts(Long.compare(view.runningTasksCount(), count));
        }

        @Override
        public boolean dependsOnTasks() {
            return true;
        }

        @Override
        public String canonical() {
            return Subject.RUNNING_TASKS_COUNT.display + " " + operator.display() + " " + count;
        }
    }

    private static String quote(String value) {
        return value.indexOf('\'') < 0 ? "'" + value + "'" : "\"" + value + "\"";
    }
}
