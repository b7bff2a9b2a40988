package io.berth.registry.gc;

import io.berth.core.store.Versioned;
import io.berth.registry.RegistryJson;
import io.berth.registry.blob.BlobStore;
import io.berth.registry.blob.Digest;
import io.berth.registry.blob.SweepReport;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.Images;
import io.berth.registry.layer.Layers;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online garbage collection of blobs, safe beside concurrent pushes:
 *
 * <ol>
 *   <li>cutoff = now − grace;</li>
 *   <li>mark: every image's manifest, config and layers are live; a repository's link to a blob no
 *       image of that repository uses is dropped when it was last used before the cutoff (with the
 *       margin of the link's lazy refresh, {@link Layers#unusedSince}), else its blob is live;</li>
 *   <li>sweep: the blob store deletes every blob not live and not put, completed or touched since
 *       the cutoff; uploads idle for longer than the upload TTL are dropped.</li>
 * </ol>
 *
 * A push touches every blob it is about to reference (layer HEAD, mount, manifest validation) and
 * commits its image within the grace period, so a blob a concurrent push relies on is either live
 * in the mark or protected by its touch; the blob store orders touches against its deletes.
 * Run from one thread at a time.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    /** What a collection did. */
    public record Report(int images, int linksKept, int linksDropped, SweepReport sweep, int uploadsExpired) {
    }

    private final Images images;
    private final Layers layers;
    private final BlobStore blobs;
    private final InstantSource clock;
    private final Duration grace;
    private final Duration uploadTtl;

    public GarbageCollector(Images images, Layers layers, BlobStore blobs, InstantSource clock, Duration grace,
                            Duration uploadTtl) {
        this.images = images;
        this.layers = layers;
        this.blobs = blobs;
        this.clock = clock;
        this.grace = grace;
        this.uploadTtl = uploadTtl;
    }

    public Report collect() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(grace);
        Set<Digest> live = new HashSet<>();
        Map<String, Set<Digest>> usedByRepository = new HashMap<>();
        int imageCount = 0;
        String after = null;
        while (true) {
            List<Versioned> page = images.scanAll(after, 1000);
            for (Versioned v : page) {
                ImageRecord image = RegistryJson.decode(v.value(), ImageRecord.class);
                live.add(image.digest());
                live.addAll(image.blobs());
                usedByRepository.computeIfAbsent(image.repository(), r -> new HashSet<>()).addAll(image.blobs());
                imageCount++;
                after = v.key();
            }
            if (page.size() < 1000) {
                break;
            }
        }
        int kept = 0;
        int dropped = 0;
        after = null;
        while (true) {
            List<Versioned> page = layers.scan(after, 1000);
            for (Versioned v : page) {
                after = v.key();
                int at = v.key().lastIndexOf('@');
                String repository = v.key().substring(0, at);
                Digest digest = Digest.parse(v.key().substring(at + 1));
                Layers.Link link = RegistryJson.decode(v.value(), Layers.Link.class);
                boolean used = usedByRepository.getOrDefault(repository, Set.of()).contains(digest);
                if (!used && layers.unusedSince(link, cutoff) && layers.expire(v)) {
                    dropped++;
                } else {
                    live.add(digest);
                    kept++;
                }
            }
            if (page.size() < 1000) {
                break;
            }
        }
        SweepReport sweep = blobs.sweep(live::contains, cutoff);
        int expired = blobs.expireUploads(now.minus(uploadTtl));
        Report report = new Report(imageCount, kept, dropped, sweep, expired);
        if (sweep.deleted() > 0 || dropped > 0 || expired > 0) {
            LOG.info("registry GC: {}", report);
        }
        return report;
    }
}
