package io.berth.scheduler.query;

import io.berth.scheduler.snapshot.InstanceView;

/**
 * An expression of ECS's cluster query language, parsed: {@code subject operator [argument]}
 * comparisons combined with {@code &&}/{@code and}, {@code ||}/{@code or}, {@code !}/{@code not}
 * and parentheses. It selects container instances, for memberOf placement constraints and for
 * ListContainerInstances {@code filter}. The grammar and the meaning of each subject and operator
 * are in berth-scheduler/README.md.
 *
 * <p>Immutable and thread-safe; {@link #matches} reads only the instance it is given.
 */
public final class ClusterQuery {
    private final String expression;
    private final Condition condition;

    private ClusterQuery(String expression, Condition condition) {
        this.expression = expression;
        this.condition = condition;
    }

    /**
     * Parses {@code expression}.
     *
     * @throws io.berth.core.error.BerthException with {@code INVALID_PARAMETER} and a message naming
     *     the character (1-based) where parsing failed and what was expected there
     */
    public static ClusterQuery parse(String expression) {
        return new ClusterQuery(expression, QueryParser.parse(expression));
    }

    /** Whether the instance is selected by this query. */
    public boolean matches(InstanceView instance) {
        return condition.test(instance);
    }

    /**
     * Whether the answer can change when tasks are added to the instance ({@code task:group},
     * {@code runningTasksCount}); when false, placement evaluates the query once per instance.
     */
    public boolean dependsOnTasks() {
        return condition.dependsOnTasks();
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** The expression rewritten with symbols, parentheses around every compound, values quoted. */
    public String canonical() {
        return condition.canonical();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterQuery q && q.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
