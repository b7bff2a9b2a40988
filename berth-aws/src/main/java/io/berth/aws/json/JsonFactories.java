package io.berth.aws.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

/**
 * The JSON factory every mapper of Berth's processes is built on. Jackson recycles its parsing and
 * generating buffers per thread by default; Berth serves requests on virtual threads (thousands of
 * agents hold a long poll each), so those buffers were made anew for every request and kept by
 * every parked thread. One shared pool instead. Mappers built here also read and write bean and
 * record properties through generated lambdas (Jackson's Blackbird module) rather than reflection,
 * which was a fifth of the cost of encoding tasks and instances.
 *
 * <p>Field names are not interned: Berth's records carry maps keyed by ids (a task's id, a tag
 * key), each seen once, and interning them churned Jackson's 180-entry intern cache (clearing a
 * shared ConcurrentHashMap on every miss); that was a quarter of the server's CPU while thousands
 * of hollow instances reported their tasks. Names are still canonicalized per parser root.
 */
public final class JsonFactories {
    private JsonFactories() {
    }

    /** A mapper builder on {@link #shared()}, with Blackbird. */
    public static JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder(shared()).addModule(new BlackbirdModule());
    }

    /** A new factory recycling its buffers through one pool shared by all threads. */
    public static JsonFactory shared() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
    }
}
