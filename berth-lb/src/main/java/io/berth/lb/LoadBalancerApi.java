package io.berth.lb;

import io.berth.aws.query.QueryModel;
import io.berth.aws.query.QueryService;
import io.berth.core.arn.Account;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.StateStore;
import io.berth.lb.api.ElbOperations;
import io.berth.lb.api.TargetDirectory;
import io.berth.lb.proxy.DataPlane;
import io.berth.lb.state.Arns;
import io.berth.lb.state.LbState;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Assembles Elastic Load Balancing v2 (query protocol, {@code Version=2015-12-01}) over a store, and
 * its data plane: the listeners' ports on {@code listenerHost} and the health checks.
 *
 * <pre>
 *   LoadBalancing lb = LoadBalancerApi.build(store, account, clock, "127.0.0.1");
 *   new QueryEdge(List.of(lb.api()), verifier, account, clock)   // on the server port
 *   ... lb.close()                                               // listeners and health checks
 * </pre>
 */
public final class LoadBalancerApi {
    private static final QueryModel MODEL = QueryModel.load(LoadBalancerApi.class, "elbv2-model.json");

    private LoadBalancerApi() {
    }

    public static QueryModel model() {
        return MODEL;
    }

    /**
     * How to build the load balancer.
     *
     * @param listenerHost the address listeners bind
     * @param resolver where instance targets live
     * @param ioThreads event loops of the data plane (0: one per core)
     * @param healthCheckTimeScale multiplies health check intervals and timeouts (1; tests use less)
     * @param random the source of ids and DNS names
     */
    public record Options(String listenerHost, TargetResolver resolver, int ioThreads, double healthCheckTimeScale,
                          RandomGenerator random) {
        public static Options defaults(String listenerHost) {
            return new Options(listenerHost, TargetResolver.none(), 0, 1.0, new SecureRandom());
        }

        public Options withResolver(TargetResolver r) {
            return new Options(listenerHost, r, ioThreads, healthCheckTimeScale, random);
        }

        public Options withIoThreads(int n) {
            return new Options(listenerHost, resolver, n, healthCheckTimeScale, random);
        }

        public Options withHealthCheckTimeScale(double scale) {
            return new Options(listenerHost, resolver, ioThreads, scale, random);
        }
    }

    /**
     * The ELBv2 API for the query edge, and the data plane behind it. Closing stops the listeners and
     * the health checks; the API then still answers but nothing listens.
     */
    public record LoadBalancing(QueryService api, DataPlane dataPlane, TargetDirectory targets)
            implements AutoCloseable {
        @Override
        public void close() {
            dataPlane.close();
        }
    }

    public static LoadBalancing build(StateStore store, Account account, InstantSource clock, String listenerHost) {
        return build(store, account, clock, Options.defaults(listenerHost));
    }

    public static LoadBalancing build(StateStore store, Account account, InstantSource clock, Options options) {
        LbState state = new LbState(store);
        int threads = options.ioThreads() > 0 ? options.ioThreads() : Runtime.getRuntime().availableProcessors();
        DataPlane plane = new DataPlane(state, options.resolver(), clock,
                new DataPlane.Settings(options.listenerHost(), threads, options.healthCheckTimeScale()));
        TargetDirectory[] directory = new TargetDirectory[1];
        QueryService.Builder builder = ElbOperations.register(QueryService.builder(MODEL), state,
                new Arns(account, options.random()), options.resolver(), clock, plane, d -> directory[0] = d);
        return new LoadBalancing(errors(builder).build(), plane, directory[0]);
    }

    private static final Map<LbError, String> SHAPES = new EnumMap<>(Map.ofEntries(
            Map.entry(LbError.LOAD_BALANCER_NOT_FOUND, "LoadBalancerNotFoundException"),
            Map.entry(LbError.TARGET_GROUP_NOT_FOUND, "TargetGroupNotFoundException"),
            Map.entry(LbError.LISTENER_NOT_FOUND, "ListenerNotFoundException"),
            Map.entry(LbError.RULE_NOT_FOUND, "RuleNotFoundException"),
            Map.entry(LbError.DUPLICATE_LOAD_BALANCER_NAME, "DuplicateLoadBalancerNameException"),
            Map.entry(LbError.DUPLICATE_TARGET_GROUP_NAME, "DuplicateTargetGroupNameException"),
            Map.entry(LbError.DUPLICATE_LISTENER, "DuplicateListenerException"),
            Map.entry(LbError.DUPLICATE_TAG_KEYS, "DuplicateTagKeysException"),
            Map.entry(LbError.PRIORITY_IN_USE, "PriorityInUseException"),
            Map.entry(LbError.RESOURCE_IN_USE, "ResourceInUseException"),
            Map.entry(LbError.INVALID_CONFIGURATION, "InvalidConfigurationRequestException"),
            Map.entry(LbError.INVALID_TARGET, "InvalidTargetException"),
            Map.entry(LbError.INVALID_ACTION, "InvalidLoadBalancerActionException"),
            Map.entry(LbError.INVALID_SCHEME, "InvalidSchemeException"),
            Map.entry(LbError.UNSUPPORTED_PROTOCOL, "UnsupportedProtocolException"),
            Map.entry(LbError.OPERATION_NOT_PERMITTED, "OperationNotPermittedException"),
            Map.entry(LbError.TOO_MANY_TAGS, "TooManyTagsException"),
            Map.entry(LbError.TOO_MANY_RULES, "TooManyRulesException"),
            Map.entry(LbError.TOO_MANY_TARGETS, "TooManyTargetsException"),
            Map.entry(LbError.TOO_MANY_ACTIONS, "TooManyActionsException")));

    /** The one table from domain errors to ELBv2 wire errors. */
    private static QueryService.Builder errors(QueryService.Builder b) {
        return b.errorShapes(e -> e instanceof LbError.LbException le ? SHAPES.get(le.error()) : null)
                .error(ErrorCode.RESOURCE_IN_USE, "ResourceInUseException")
                .error(ErrorCode.INVALID_PARAMETER, "InvalidConfigurationRequestException")
                .error(ErrorCode.CLIENT, "InvalidConfigurationRequestException")
                .error(ErrorCode.CONFLICT, "PriorRequestNotCompleteException");
    }
}
