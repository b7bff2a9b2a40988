package io.berth.aws.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * The JSON factory every mapper of Berth's processes is built on. Jackson recycles its parsing and
 * generating buffers per thread by default; Berth serves requests on virtual threads (thousands of
 * agents hold a long poll each), so those buffers were made anew for every request and kept by
 * every parked thread: about 16 KiB of char arrays per waiting agent. One shared pool instead.
 */
public final class JsonFactories {
    private JsonFactories() {
    }

    /** A new factory recycling its buffers through one pool shared by all threads. */
    public static JsonFactory shared() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
    }
}
