package io.berth.ecs.taskdef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.arn.Account;
import io.berth.core.error.BerthException;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import io.berth.ecs.tag.Tag;
import io.berth.ecs.tag.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Task definitions in the {@link StateStore}: revisions in kind {@value TaskDefinition#KIND}
 * (key {@code family:0000000003}), families in kind {@value TaskDefinitionFamily#KIND} (key
 * {@code family}), tags in {@link Tags#KIND} by ARN.
 *
 * <p>Every write reads what it changes and commits with those versions as expectations: a revision
 * together with its family record (whose last revision and status counts it updates), plus the tag
 * record. A {@link ConflictException} means someone else wrote first; the write is retried from a
 * fresh read, after a short random pause, for as long as a commit may take, so concurrent
 * registrations in one family get distinct consecutive revisions. Definitions passed in must already be valid
 * ({@link TaskDefinitionValidator}). Thread-safe.
 */
public final class TaskDefinitions {
    static final int MAX_ATTEMPTS = 10;
    private static final int PAGE = 500;
    private static final String LIST_TOKEN = "taskdefs";
    private static final String FAMILY_TOKEN = "families";

    private final StateStore store;
    private final Duration timeout;
    private final RandomGenerator random;

    public TaskDefinitions(StateStore store) {
        this(store, Duration.ofSeconds(5), new SplittableRandom());
    }

    /**
     * @param timeout how long one commit may take
     * @param random source of the pauses between attempts of a contended write
     */
    public TaskDefinitions(StateStore store, Duration timeout, RandomGenerator random) {
        this.store = Objects.requireNonNull(store);
        this.timeout = Objects.requireNonNull(timeout);
        this.random = Objects.requireNonNull(random);
    }

    /** The outcome of a delete request for one revision. */
    public sealed interface Deletion {
        /** Now DELETE_IN_PROGRESS (or already was). */
        record Deleted(TaskDefinition definition) implements Deletion {
        }

        record Missing() implements Deletion {
        }

        record StillActive(TaskDefinition definition) implements Deletion {
        }
    }

    /**
     * Registers {@code spec} as the next revision of its family, ACTIVE, with {@code tags}.
     *
     * @throws BerthException ClientException "Too many concurrent attempts to create a new revision of
     *     the specified family." when other registrations kept winning (AWS's message for the same)
     */
    public TaskDefinition register(ObjectNode spec, List<Tag> tags, String registeredBy, Instant at,
                                   Account account) {
        String family = spec.get("family").asText();
        FamilyTurn turn = turn(family);
        return retrying(() -> {
            TaskDefinition td;
            StateStore.Pending pending;
            // Registrations of one family in this process take turns, so they do not lose optimistic
            // races to each other; a turn ends once its transaction is submitted (FamilyTurn). The
            // version check still guards against other server replicas.
            synchronized (turn) {
                FamilyTurn.Known known = turn.known(store.get(TaskDefinitionFamily.KIND, family));
                TaskDefinitionFamily next = (known.family() != null ? known.family()
                        : TaskDefinitionFamily.empty(family)).withRegistered();
                td = new TaskDefinition(family, next.lastRevision(), TaskDefinitionStatus.ACTIVE, at,
                        Optional.empty(), Optional.empty(), registeredBy, spec);
                List<Mutation> tx = new ArrayList<>();
                tx.add(known.family() != null
                        ? new Mutation.Put(TaskDefinitionFamily.KIND, family, known.version(), next.encode())
                        : Mutation.create(TaskDefinitionFamily.KIND, family, next.encode()));
                tx.add(Mutation.create(TaskDefinition.KIND, td.key(), td.encode()));
                Tags.create(td.arn(account), tags).ifPresent(tx::add);
                try {
                    pending = store.submit(tx, timeout);
                } catch (RuntimeException e) {
                    turn.markDirty();
                    throw e;
                }
                turn.submitted(next, known.version() + 1, pending);
            }
            try {
                pending.await();
            } catch (RuntimeException e) {
                turn.markDirty();
                throw e;
            }
            return td;
        }, () -> BerthException.client("Too many concurrent attempts to create a new revision of the specified"
                + " family."));
    }

    private final java.util.Map<String, FamilyTurn> turns = new java.util.concurrent.ConcurrentHashMap<>();

    private FamilyTurn turn(String family) {
        return turns.computeIfAbsent(family, f -> new FamilyTurn());
    }

    public Optional<TaskDefinition> get(String family, int revision) {
        return store.get(TaskDefinition.KIND, TaskDefinition.key(family, revision))
                .map(v -> TaskDefinition.decode(v.value()));
    }

    public Optional<TaskDefinitionFamily> family(String family) {
        return store.get(TaskDefinitionFamily.KIND, family).map(v -> TaskDefinitionFamily.decode(v.value()));
    }

    /** The revision {@code ref} names, or for a bare family its latest ACTIVE revision. */
    public Optional<TaskDefinition> find(TaskDefinitionRef ref) {
        if (ref.revision().isPresent()) {
            return get(ref.family(), ref.revision().getAsInt());
        }
        if (family(ref.family()).map(TaskDefinitionFamily::active).orElse(0) == 0) {
            return Optional.empty();
        }
        List<TaskDefinition> all = revisions(ref.family());
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).status() == TaskDefinitionStatus.ACTIVE) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Makes an ACTIVE revision INACTIVE as of {@code at}. A revision that is not ACTIVE is returned as it
     * is; an unknown one gives empty.
     */
    public Optional<TaskDefinition> deregister(String family, int revision, Instant at) {
        return retrying(() -> {
            Optional<Versioned> read = store.get(TaskDefinition.KIND, TaskDefinition.key(family, revision));
            if (read.isEmpty()) {
                return Optional.empty();
            }
            TaskDefinition td = TaskDefinition.decode(read.get().value());
            if (td.status() != TaskDefinitionStatus.ACTIVE) {
                return Optional.of(td);
            }
            TaskDefinition updated = td.withDeregistered(at);
            transition(read.get(), updated, TaskDefinitionStatus.ACTIVE);
            return Optional.of(updated);
        }, null);
    }

    /** Moves an INACTIVE revision to DELETE_IN_PROGRESS as of {@code at}; see {@link Deletion}. */
    public Deletion requestDelete(String family, int revision, Instant at) {
        return retrying(() -> {
            Optional<Versioned> read = store.get(TaskDefinition.KIND, TaskDefinition.key(family, revision));
            if (read.isEmpty()) {
                return new Deletion.Missing();
            }
            TaskDefinition td = TaskDefinition.decode(read.get().value());
            return switch (td.status()) {
                case ACTIVE -> new Deletion.StillActive(td);
                case DELETE_IN_PROGRESS -> new Deletion.Deleted(td);
                case INACTIVE -> {
                    TaskDefinition updated = td.withDeleteRequested(at);
                    transition(read.get(), updated, TaskDefinitionStatus.INACTIVE);
                    yield new Deletion.Deleted(updated);
                }
            };
        }, null);
    }

    private void transition(Versioned read, TaskDefinition updated, TaskDefinitionStatus from) {
        FamilyTurn turn = turn(updated.family());
        synchronized (turn) {
            turn.flush();
            transitionNow(read, updated, from);
        }
    }

    private void transitionNow(Versioned read, TaskDefinition updated, TaskDefinitionStatus from) {
        Versioned familyRead = store.get(TaskDefinitionFamily.KIND, updated.family()).orElseThrow(
                () -> new StoreUnavailableException("family record of " + updated.family() + " is missing"));
        TaskDefinitionFamily family = TaskDefinitionFamily.decode(familyRead.value())
                .withTransition(from, updated.status());
        store.commit(List.of(Mutation.update(read, updated.encode()), Mutation.update(familyRead, family.encode())),
                timeout);
    }

    /**
     * Removes for good every DELETE_IN_PROGRESS revision that {@code inUse} says no task or service
     * needs any more, with its tags; meant for a controller's periodic sweep. A revision someone
     * changes meanwhile is left for the next sweep.
     *
     * @return how many revisions were removed
     */
    public int sweep(Predicate<TaskDefinition> inUse, Account account) {
        int removed = 0;
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(TaskDefinition.KIND, "", after, PAGE);
            for (Versioned v : batch) {
                TaskDefinition td = TaskDefinition.decode(v.value());
                if (td.status() == TaskDefinitionStatus.DELETE_IN_PROGRESS && !inUse.test(td)
                        && remove(v, td, account)) {
                    removed++;
                }
            }
            if (batch.size() < PAGE) {
                return removed;
            }
            after = batch.get(batch.size() - 1).key();
        }
    }

    private boolean remove(Versioned read, TaskDefinition td, Account account) {
        FamilyTurn turn = turn(td.family());
        synchronized (turn) {
            turn.flush();
            return removeNow(read, td, account);
        }
    }

    private boolean removeNow(Versioned read, TaskDefinition td, Account account) {
        Optional<Versioned> familyRead = store.get(TaskDefinitionFamily.KIND, td.family());
        if (familyRead.isEmpty()) {
            return false;
        }
        TaskDefinitionFamily family = TaskDefinitionFamily.decode(familyRead.get().value())
                .withRemoved(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        try {
            store.commit(List.of(Mutation.delete(read), Mutation.update(familyRead.get(), family.encode()),
                    Tags.remove(td.arn(account))), timeout);
            return true;
        } catch (ConflictException e) {
            return false;
        }
    }

    /** Every existing revision of {@code family}, oldest first. */
    public List<TaskDefinition> revisions(String family) {
        List<TaskDefinition> result = new ArrayList<>();
        String after = null;
        while (true) {
            List<Versioned> batch = store.scan(TaskDefinition.KIND, family + ":", after, PAGE);
            batch.forEach(v -> result.add(TaskDefinition.decode(v.value())));
            if (batch.size() < PAGE) {
                return result;
            }
            after = batch.get(batch.size() - 1).key();
        }
    }

    /**
     * Revisions in {@code status}, by family name and then revision, ascending or
     * {@code descending}; only those of {@code family} when given (ListTaskDefinitions'
     * {@code familyPrefix} is a whole family name).
     */
    public Page<TaskDefinition> list(Optional<String> family, TaskDefinitionStatus status, boolean descending,
                                     int limit, Optional<String> nextToken) {
        Optional<List<String>> after = nextToken.map(t -> PageToken.decode(t, LIST_TOKEN, 2));
        Optional<String> afterFamily = after.map(a -> a.get(0));
        int afterRevision = after.map(a -> revisionOf(a.get(1))).orElse(0);
        List<TaskDefinitionFamily> families = family.isPresent()
                ? family(family.get()).map(List::of).orElse(List.of())
                : families();
        List<TaskDefinitionFamily> ordered = new ArrayList<>(families);
        if (descending) {
            Collections.reverse(ordered);
        }
        List<TaskDefinition> found = new ArrayList<>();
        for (TaskDefinitionFamily f : ordered) {
            if (found.size() > limit) {
                break;
            }
            int relative = afterFamily.map(a -> descending ? a.compareTo(f.name()) : f.name().compareTo(a))
                    .orElse(1);
            if (relative < 0 || f.count(status) == 0) {
                continue;
            }
            List<TaskDefinition> revisions = revisions(f.name());
            if (descending) {
                Collections.reverse(revisions);
            }
            for (TaskDefinition td : revisions) {
                boolean past = relative > 0 || (descending ? td.revision() < afterRevision
                        : td.revision() > afterRevision);
                if (past && td.status() == status) {
                    found.add(td);
                    if (found.size() > limit) {
                        break;
                    }
                }
            }
        }
        if (found.size() <= limit) {
            return new Page<>(found, Optional.empty());
        }
        TaskDefinition last = found.get(limit - 1);
        return new Page<>(found.subList(0, limit),
                Optional.of(PageToken.encode(LIST_TOKEN, last.family(), Integer.toString(last.revision()))));
    }

    /**
     * Names of families starting with {@code prefix} that match {@code status}: ACTIVE has an ACTIVE
     * revision, INACTIVE has revisions but none ACTIVE, null (ALL) has any revision left. Families
     * whose revisions are all deleted are not listed (DeleteTaskDefinitions).
     */
    public Page<String> listFamilies(String prefix, TaskDefinitionStatus status, int limit,
                                     Optional<String> nextToken) {
        String cursor = nextToken.map(t -> PageToken.decode(t, FAMILY_TOKEN, 1).get(0)).orElse(null);
        List<String> names = new ArrayList<>();
        while (names.size() <= limit) {
            List<Versioned> batch = store.scan(TaskDefinitionFamily.KIND, prefix, cursor, PAGE);
            for (Versioned v : batch) {
                TaskDefinitionFamily f = TaskDefinitionFamily.decode(v.value());
                boolean matches = status == null ? f.existing() > 0
                        : status == TaskDefinitionStatus.ACTIVE ? f.active() > 0
                        : f.active() == 0 && f.existing() > 0;
                if (matches && names.size() <= limit) {
                    names.add(f.name());
                }
            }
            if (batch.size() < PAGE) {
                break;
            }
            cursor = batch.get(batch.size() - 1).key();
        }
        if (names.size() <= limit) {
            return new Page<>(names, Optional.empty());
        }
        List<String> page = names.subList(0, limit);
        return new Page<>(page, Optional.of(PageToken.encode(FAMILY_TOKEN, page.get(limit - 1))));
    }

    /** Every family record, by name. */
    private List<TaskDefinitionFamily> families() {
        List<TaskDefinitionFamily> result = new ArrayList<>();
        String cursor = null;
        while (true) {
            List<Versioned> batch = store.scan(TaskDefinitionFamily.KIND, "", cursor, PAGE);
            batch.forEach(v -> result.add(TaskDefinitionFamily.decode(v.value())));
            if (batch.size() < PAGE) {
                return result;
            }
            cursor = batch.get(batch.size() - 1).key();
        }
    }

    private static int revisionOf(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw BerthException.invalidParameter("The specified nextToken is invalid.");
        }
    }

    /**
     * Runs {@code attempt} until it commits without a conflict: at least {@link #MAX_ATTEMPTS} times,
     * and for as long as one commit may take ({@code timeout}), so that writers contending through
     * several server replicas (each pipelining its own) are not turned away after a burst of lost
     * races; then throws {@code exhausted} (or the last conflict when null).
     */
    private <T> T retrying(Supplier<T> attempt, Supplier<BerthException> exhausted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; ; i++) {
            try {
                return attempt.get();
            } catch (ConflictException e) {
                if (i + 1 >= MAX_ATTEMPTS && System.nanoTime() - deadline >= 0) {
                    if (exhausted != null) {
                        throw exhausted.get();
                    }
                    throw e;
                }
                pause(i);
            }
        }
    }

    private void pause(int attempt) {
        long bound = Math.min(50, 1L << attempt);
        try {
            Thread.sleep(random.nextLong(bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying a task definition write", e);
        }
    }
}
