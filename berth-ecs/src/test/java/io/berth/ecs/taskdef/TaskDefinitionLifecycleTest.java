package io.berth.ecs.taskdef;

import static io.berth.ecs.taskdef.Fixtures.ctx;
import static io.berth.ecs.taskdef.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.ecs.tag.Tags;
import java.time.Duration;
import io.berth.core.store.ConflictException;
import io.berth.core.store.ForwardingStateStore;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.testkit.store.InMemoryStateStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Register, describe, deregister and delete as a user sees them through the operations. */
class TaskDefinitionLifecycleTest {
    private static final String ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/";
    private final Fixtures.Env env = new Fixtures.Env();

    @Test
    void revisionsCountUpPerFamily() {
        assertThat(List.of(env.register("web"), env.register("web"), env.register("worker"), env.register("web")))
                .containsExactly(1, 2, 1, 3);
    }

    @Test
    void concurrentRegistrationsGetDistinctConsecutiveRevisions() throws Exception {
        int threads = 8;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> revisions = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        revisions.add(env.register("busy"));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(new TreeSet<>(revisions)).containsExactlyElementsOf(
                IntStream.rangeClosed(1, threads * each).boxed().toList());
        assertThat(revisions).hasSize(threads * each);
        TaskDefinitionFamily family = env.definitions.family("busy").orElseThrow();
        assertThat(family.lastRevision()).isEqualTo(threads * each);
        assertThat(family.active()).isEqualTo(threads * each);
        assertThat(list("{'familyPrefix':'busy','sort':'DESC'}")).first().isEqualTo(ARN + "busy:" + threads * each);
    }

    @Test
    void describeResolvesFamilyRevisionAndArn() {
        env.register("web");
        env.register("web");
        env.register("web");
        env.deregister("web:3");

        assertThat(describe("web").get("revision").asInt()).as("latest ACTIVE").isEqualTo(2);
        assertThat(describe("web:3").get("status").asText()).isEqualTo("INACTIVE");
        assertThat(describe(ARN + "web:1").get("revision").asInt()).isEqualTo(1);
        assertThat(describe(ARN + "web").get("revision").asInt()).isEqualTo(2);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"nothing", "web:9", "my web", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1",
            "arn:aws:ecs:us-east-1:210987654321:task-definition/web:1", "arn:aws:ecs:us-east-1:123456789012:service/web"})
    void describeOfWhatIsNotThereIsAClientError(String id) {
        env.register("web");

        assertClientError(() -> describe(id), "Unable to describe task definition.");
    }

    @Test
    void describeOfAFamilyWithoutActiveRevisionsFails() {
        env.register("web");
        env.deregister("web:1");

        assertClientError(() -> describe("web"), "Unable to describe task definition.");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"web:abc", "web:0", "web:", "web:-1"})
    void aRevisionThatIsNotANumberIsAnInvalidParameter(String id) {
        assertThatThrownBy(() -> describe(id)).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    }

    @Test
    void describeIncludesTagsOnlyWhenAsked() {
        env.registerJson("{'family':'web','containerDefinitions':[{'name':'app','image':'nginx','memory':64}],"
                + "'tags':[{'key':'team','value':'shop'}]}");

        ObjectNode plain = env.ops.describe(ctx(), json("{'taskDefinition':'web:1'}"));
        ObjectNode tagged = env.ops.describe(ctx(), json("{'taskDefinition':'web:1','include':['TAGS']}"));

        assertThat(plain.get("tags")).isEmpty();
        assertThat(tagged.get("tags")).isEqualTo(Fixtures.tree("[{'key':'team','value':'shop'}]"));
        assertThat(new Tags(env.store).of(ARN + "web:1")).hasSize(1);
    }

    @Test
    void deregisterMakesARevisionInactiveOnce() {
        env.register("web");
        JsonNode first = env.ops.deregister(ctx(Fixtures.T0.plusSeconds(60)), json("{'taskDefinition':'web:1'}"))
                .get("taskDefinition");
        JsonNode again = env.ops.deregister(ctx(Fixtures.T0.plusSeconds(120)),
                json("{'taskDefinition':'" + ARN + "web:1'}")).get("taskDefinition");

        assertThat(first.get("status").asText()).isEqualTo("INACTIVE");
        assertThat(first.get("deregisteredAt").decimalValue()).isEqualByComparingTo("1718986572.669");
        assertThat(again).as("a second deregistration changes nothing").isEqualTo(first);
        assertThat(env.definitions.family("web").orElseThrow()).isEqualTo(new TaskDefinitionFamily("web", 1, 0, 1, 0));
    }

    @Test
    void deregisterNeedsARevision() {
        env.register("web");

        assertClientError(() -> env.deregister("web"), "A revision must be specified to deregister a task"
                + " definition: use family:revision or the full ARN.");
        assertClientError(() -> env.deregister("web:2"), "Unable to deregister task definition.");
        assertThat(describe("web:1").get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void deleteTakesOnlyInactiveRevisions() {
        env.register("web");
        env.register("web");
        env.deregister("web:1");

        ObjectNode out = env.ops.delete(ctx(Fixtures.T0.plusSeconds(5)), json("{'taskDefinitions':['web:1','web:2',"
                + "'web:7','web','nope:x']}"));

        assertThat(out.get("taskDefinitions")).hasSize(1);
        JsonNode deleted = out.get("taskDefinitions").get(0);
        assertThat(deleted.get("taskDefinitionArn").asText()).isEqualTo(ARN + "web:1");
        assertThat(deleted.get("status").asText()).isEqualTo("DELETE_IN_PROGRESS");
        assertThat(deleted.get("deleteRequestedAt").decimalValue()).isEqualByComparingTo("1718986517.669");
        assertThat(deleted.has("deregisteredAt")).isTrue();
        assertThat(out.get("failures")).isEqualTo(Fixtures.tree("["
                + "{'arn':'" + ARN + "web:2','reason':'" + TaskDefinitionOperations.STILL_ACTIVE + "'},"
                + "{'arn':'" + ARN + "web:7','reason':'" + TaskDefinitionOperations.MISSING + "'},"
                + "{'arn':'web','reason':'" + TaskDefinitionOperations.UNKNOWN_IDENTIFIER + "'},"
                + "{'arn':'nope:x','reason':'" + TaskDefinitionOperations.UNKNOWN_IDENTIFIER + "'}]"));
        assertThat(describe("web:1").get("status").asText()).isEqualTo("DELETE_IN_PROGRESS");
        assertThat(families("{'status':'INACTIVE'}")).isEmpty();
        assertThat(families("{}")).containsExactly("web");
    }

    @ParameterizedTest(name = "{0} names")
    @ValueSource(ints = {0, 11})
    void deleteTakesOneToTenNames(int n) {
        List<String> names = IntStream.rangeClosed(1, n).mapToObj(i -> "'web:" + i + "'").toList();
        ObjectNode in = json("{'taskDefinitions':[" + String.join(",", names) + "]}");

        assertThatThrownBy(() -> env.ops.delete(ctx(), in)).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    }

    @Test
    void deletedRevisionsGoAwayWhenUnusedAndTheirNumbersAreNeverReused() {
        env.registerJson("{'family':'web','containerDefinitions':[{'name':'app','image':'nginx','memory':64}],"
                + "'tags':[{'key':'k','value':'v'}]}");
        env.register("web");
        env.deregister("web:1");
        env.deregister("web:2");
        env.ops.delete(ctx(), json("{'taskDefinitions':['web:1','web:2']}"));

        int kept = env.definitions.sweep(td -> td.revision() == 2, Fixtures.ACCOUNT);
        assertThat(kept).as("web:1 removed, web:2 still in use").isEqualTo(1);
        assertClientError(() -> describe("web:1"), "Unable to describe task definition.");
        assertThat(new Tags(env.store).of(ARN + "web:1")).isEmpty();
        assertThat(families("{}")).containsExactly("web");

        assertThat(env.definitions.sweep(td -> false, Fixtures.ACCOUNT)).isEqualTo(1);
        assertThat(families("{}")).as("no revision left").isEmpty();
        assertThat(families("{'status':'INACTIVE'}")).isEmpty();

        assertThat(env.register("web")).isEqualTo(3);
        assertThat(families("{'status':'ACTIVE'}")).containsExactly("web");
    }

    /** Families web, web-1, web1, a with revisions; some INACTIVE. */
    private void populate() {
        for (String f : List.of("web", "web1", "a", "web-1", "web", "a", "web", "web1", "web")) {
            env.register(f);
        }
        env.deregister("web:2");
        env.deregister("a:1");
        env.deregister("a:2");
    }

    static Stream<Arguments> pagination() {
        // by family as strings ("web" < "web-1" < "web1"), then by revision
        List<String> activeAscending = List.of("web:1", "web:3", "web:4", "web-1:1", "web1:1", "web1:2");
        List<String> activeDescending = new ArrayList<>(activeAscending.reversed());
        return Stream.of(
                arguments("{}", activeAscending),
                arguments("{'sort':'ASC','maxResults':1}", activeAscending),
                arguments("{'maxResults':2}", activeAscending),
                arguments("{'maxResults':5}", activeAscending),
                arguments("{'sort':'DESC'}", activeDescending),
                arguments("{'sort':'DESC','maxResults':1}", activeDescending),
                arguments("{'sort':'DESC','maxResults':4}", activeDescending),
                arguments("{'status':'INACTIVE','maxResults':1}", List.of("a:1", "a:2", "web:2")),
                arguments("{'status':'INACTIVE','sort':'DESC'}", List.of("web:2", "a:2", "a:1")),
                arguments("{'familyPrefix':'web','maxResults':2}", List.of("web:1", "web:3", "web:4")),
                arguments("{'familyPrefix':'web','sort':'DESC','maxResults':2}", List.of("web:4", "web:3", "web:1")),
                arguments("{'familyPrefix':'we'}", List.of()),
                arguments("{'status':'DELETE_IN_PROGRESS'}", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pagination")
    void listTaskDefinitionsPagesInFamilyAndRevisionOrder(String request, List<String> expected) {
        populate();

        assertThat(list(request)).containsExactlyElementsOf(expected.stream().map(s -> ARN + s).toList());
    }

    static Stream<Arguments> familyListings() {
        return Stream.of(
                arguments("{}", List.of("a", "web", "web-1", "web1")),
                arguments("{'status':'ALL','maxResults':1}", List.of("a", "web", "web-1", "web1")),
                arguments("{'status':'ACTIVE','maxResults':2}", List.of("web", "web-1", "web1")),
                arguments("{'status':'INACTIVE'}", List.of("a")),
                arguments("{'familyPrefix':'web','maxResults':1}", List.of("web", "web-1", "web1")),
                arguments("{'familyPrefix':'web-'}", List.of("web-1")),
                arguments("{'familyPrefix':'x'}", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("familyListings")
    void listTaskDefinitionFamiliesFiltersAndPages(String request, List<String> expected) {
        populate();

        assertThat(families(request)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{'nextToken':'garbage'}", "{'nextToken':'d2Vi'}", "{'maxResults':0}",
            "{'maxResults':101}"})
    void badPagingParametersAreInvalid(String request) {
        populate();

        assertThatThrownBy(() -> env.ops.list(ctx(), json(request))).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
        assertThatThrownBy(() -> env.ops.listFamilies(ctx(), json(request)))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    }

    @Test
    void aTokenOfOneListingIsRefusedByTheOther() {
        populate();
        String token = env.ops.list(ctx(), json("{'maxResults':1}")).get("nextToken").asText();

        assertThatThrownBy(() -> env.ops.listFamilies(ctx(), json("{'nextToken':'" + token + "'}")))
                .isInstanceOf(BerthException.class);
    }

    @Test
    void operationsAreNamedForTheEdge() {
        assertThat(env.ops.operations()).containsOnlyKeys("RegisterTaskDefinition", "DescribeTaskDefinition",
                "ListTaskDefinitions", "ListTaskDefinitionFamilies", "DeregisterTaskDefinition",
                "DeleteTaskDefinitions");
    }

    @Test
    void aBrokenStoreFailsTheRegistrationWithoutConsumingARevision() {
        env.register("web");
        env.store.setMode(InMemoryStateStore.Mode.BROKEN);
        assertThatThrownBy(() -> env.register("web")).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
        env.store.setMode(InMemoryStateStore.Mode.NORMAL);

        assertThat(env.register("web")).isEqualTo(2);
    }

    @Test
    void registrationGivesUpWithAwsMessageWhenOthersAlwaysWin() {
        TaskDefinitions contended = new TaskDefinitions(new AlwaysConflicting(env.store), Duration.ofSeconds(1),
                new SplittableRandom(1));
        TaskDefinitionOperations ops = new TaskDefinitionOperations(contended, env.tags);

        assertClientError(() -> ops.register(ctx(), json("{'family':'web','containerDefinitions':[{'name':'app',"
                        + "'image':'nginx','memory':64}]}")),
                "Too many concurrent attempts to create a new revision of the specified family.");
    }

    private JsonNode describe(String id) {
        return env.ops.describe(ctx(), json("{'taskDefinition':'" + id + "'}")).get("taskDefinition");
    }

    /** Every ARN ListTaskDefinitions returns for {@code request}, following nextToken. */
    private List<String> list(String request) {
        List<String> arns = new ArrayList<>();
        ObjectNode in = json(request);
        Set<String> tokens = new HashSet<>();
        while (true) {
            ObjectNode out = env.ops.list(ctx(), in);
            int max = in.path("maxResults").asInt(100);
            assertThat(out.get("taskDefinitionArns").size()).isLessThanOrEqualTo(max);
            out.get("taskDefinitionArns").forEach(a -> arns.add(a.asText()));
            if (!out.has("nextToken")) {
                return arns;
            }
            assertThat(tokens.add(out.get("nextToken").asText())).isTrue();
            in.put("nextToken", out.get("nextToken").asText());
        }
    }

    private List<String> families(String request) {
        List<String> names = new ArrayList<>();
        ObjectNode in = json(request);
        while (true) {
            ObjectNode out = env.ops.listFamilies(ctx(), in);
            out.get("families").forEach(f -> names.add(f.asText()));
            if (!out.has("nextToken")) {
                return names;
            }
            in.put("nextToken", out.get("nextToken").asText());
        }
    }

    private static void assertClientError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
                                          String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CLIENT);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    /** A store where some other writer always commits first. */
    private static final class AlwaysConflicting extends ForwardingStateStore {
        AlwaysConflicting(StateStore delegate) {
            super(delegate);
        }

        @Override
        public List<Long> commit(List<Mutation> mutations, Duration timeout) {
            Mutation first = mutations.get(0);
            throw new ConflictException(first.kind(), first.key(), first.expectedVersion(), 99);
        }
    }
}
