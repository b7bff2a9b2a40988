package io.berth.registry;

import io.berth.aws.http.HttpRoute;
import io.berth.aws.json.JsonService;
import io.berth.aws.model.ServiceModel;
import io.berth.aws.sigv4.CredentialSource;
import io.berth.core.arn.Account;
import io.berth.core.store.StateStore;
import io.berth.registry.auth.RegistryTokens;
import io.berth.registry.blob.BlobStore;
import io.berth.registry.blob.FileBlobStore;
import io.berth.registry.ecr.AuthorizationOperations;
import io.berth.registry.ecr.EcrErrors;
import io.berth.registry.ecr.ImageOperations;
import io.berth.registry.ecr.LifecycleOperations;
import io.berth.registry.ecr.LayerOperations;
import io.berth.registry.ecr.RepositoryOperations;
import io.berth.registry.ecr.ScanOperations;
import io.berth.registry.gc.GarbageCollector;
import io.berth.registry.image.Images;
import io.berth.registry.layer.Layers;
import io.berth.registry.lifecycle.LifecycleEnforcer;
import io.berth.registry.lifecycle.LifecyclePreviews;
import io.berth.registry.oci.DistributionRoute;
import io.berth.registry.repository.Repositories;
import io.berth.registry.scan.ImageScanner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * Assembles the registry: the ECR API (AWS JSON 1.1, {@code AmazonEC2ContainerRegistry_V20150921}),
 * the OCI distribution API under {@code /v2/}, and the background jobs (lifecycle policies, garbage
 * collection) over a store and a blob directory.
 */
public final class RegistryApi {
    private static final ServiceModel MODEL = ServiceModel.load(RegistryApi.class, "ecr-model.json");
    /** ECR's UploadLayerPart takes up to 20 MiB of base64 in its JSON body. */
    static final int MAX_BODY_BYTES = 30 * 1024 * 1024;

    private RegistryApi() {
    }

    public static ServiceModel model() {
        return MODEL;
    }

    /**
     * The registry's parts for the server to mount: the ECR service for the edge, the {@code /v2/}
     * route, and the background jobs to close at shutdown.
     */
    public record Registry(JsonService ecr, HttpRoute v2, AutoCloseable background) {
    }

    /**
     * Tunables of the registry.
     *
     * @param gcGrace how long a blob stays protected after it was last put or touched
     * @param gcInterval how often garbage is collected
     * @param uploadTtl how long an upload may sit idle before it is dropped
     * @param lifecycleInterval how often lifecycle policies are enforced
     * @param lifecycleAfterPush how long after a push of a new image the policy of its repository is
     *     enforced (pushes meanwhile wait for the same run: a multi-platform push, children first,
     *     is normally whole by then)
     * @param osvDirectory where image scanning finds vulnerabilities (OSV JSON files); absent or null: none
     */
    public record Settings(Duration gcGrace, Duration gcInterval, Duration uploadTtl, Duration lifecycleInterval,
                           Duration lifecycleAfterPush, Path osvDirectory) {
        public static Settings defaults() {
            return new Settings(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(24), Duration.ofMinutes(5),
                    Duration.ofSeconds(30), null);
        }

        public Settings withOsvDirectory(Path dir) {
            return new Settings(gcGrace, gcInterval, uploadTtl, lifecycleInterval, lifecycleAfterPush, dir);
        }

        public Settings withLifecycleInterval(Duration interval) {
            return new Settings(gcGrace, gcInterval, uploadTtl, interval, lifecycleAfterPush, osvDirectory);
        }

        public Settings withLifecycleAfterPush(Duration delay) {
            return new Settings(gcGrace, gcInterval, uploadTtl, lifecycleInterval, delay, osvDirectory);
        }
    }

    /**
     * The registry as the server runs it.
     *
     * @param store the state store (repositories, images, tags, links, policies)
     * @param account the registry id (account) and region of ARNs
     * @param blobDir where the filesystem blob store keeps blobs and uploads
     * @param osvDirectory where image scanning reads OSV vulnerability files (null: none)
     * @param credentials the access keys whose holders may get registry passwords
     * @param clock the time of pushes, pulls, tokens and garbage collection
     * @param registryHost host[:port] clients reach the registry at (repositoryUri = host/name), asked
     *     for each time a URI is made (the port is known only after start)
     * @param metrics where the blob bytes moved are counted ({@code berth.registry.bytes})
     */
    public static Registry build(StateStore store, Account account, Path blobDir, Path osvDirectory,
                                 CredentialSource credentials, InstantSource clock, Supplier<String> registryHost,
                                 io.berth.core.metrics.Metrics metrics) {
        return build(store, account, new io.berth.registry.blob.MeteredBlobStore(FileBlobStore.open(blobDir, clock),
                metrics), credentials, clock, registryHost, Settings.defaults().withOsvDirectory(osvDirectory));
    }

    public static Registry build(StateStore store, Account account, BlobStore blobs, CredentialSource credentials,
                                 InstantSource clock, String registryHost, Settings settings) {
        return build(store, account, blobs, credentials, clock, () -> registryHost, settings);
    }

    public static Registry build(StateStore store, Account account, BlobStore blobs, CredentialSource credentials,
                                 InstantSource clock, Supplier<String> registryHost, Settings settings) {
        Repositories repositories = new Repositories(store, account, registryHost);
        Layers layers = new Layers(store, blobs, repositories, clock, settings.gcGrace());
        Images images = new Images(store, blobs, repositories, layers, clock);
        RegistryTokens tokens = new RegistryTokens(store, credentials, clock);

        LifecycleEnforcer enforcer = new LifecycleEnforcer(repositories, images, store, clock);
        LifecyclePreviews previews = new LifecyclePreviews(store, images, clock);
        ImageScanner scanner = new ImageScanner(images, blobs, store, settings.osvDirectory(), clock);
        scanner.scanOnPush(repositories);
        RepositoryOperations repositoryOps = new RepositoryOperations(repositories, images, layers, clock, name -> {
            enforcer.forget(name);
            previews.forget(name);
            scanner.forget(name);
        });
        ScanOperations scanOps = new ScanOperations(repositories, images, scanner, repositoryOps, clock);
        LifecycleOperations lifecycleOps = new LifecycleOperations(repositories, previews, enforcer, repositoryOps,
                clock);
        ImageOperations imageOps = new ImageOperations(repositories, images, repositoryOps);
        LayerOperations layerOps = new LayerOperations(repositories, layers, tokens, repositoryOps);
        AuthorizationOperations authOps = new AuthorizationOperations(tokens, account.accountId(), registryHost);

        JsonService.Builder builder = JsonService.builder(MODEL).maxBodyBytes(MAX_BODY_BYTES)
                .operation("CreateRepository", repositoryOps::createRepository)
                .operation("DescribeRepositories", repositoryOps::describeRepositories)
                .operation("DeleteRepository", repositoryOps::deleteRepository)
                .operation("PutImageTagMutability", repositoryOps::putImageTagMutability)
                .operation("PutImageScanningConfiguration", repositoryOps::putImageScanningConfiguration)
                .operation("TagResource", repositoryOps::tagResource)
                .operation("UntagResource", repositoryOps::untagResource)
                .operation("ListTagsForResource", repositoryOps::listTagsForResource)
                .operation("SetRepositoryPolicy", repositoryOps::setRepositoryPolicy)
                .operation("GetRepositoryPolicy", repositoryOps::getRepositoryPolicy)
                .operation("DeleteRepositoryPolicy", repositoryOps::deleteRepositoryPolicy)
                .operation("DescribeRegistry", repositoryOps::describeRegistry)
                .operation("GetAuthorizationToken", authOps::getAuthorizationToken)
                .operation("PutImage", imageOps::putImage)
                .operation("BatchGetImage", imageOps::batchGetImage)
                .operation("BatchDeleteImage", imageOps::batchDeleteImage)
                .operation("DescribeImages", imageOps::describeImages)
                .operation("ListImages", imageOps::listImages)
                .operation("BatchCheckLayerAvailability", layerOps::batchCheckLayerAvailability)
                .operation("InitiateLayerUpload", layerOps::initiateLayerUpload)
                .operation("UploadLayerPart", layerOps::uploadLayerPart)
                .operation("CompleteLayerUpload", layerOps::completeLayerUpload)
                .operation("GetDownloadUrlForLayer", layerOps::getDownloadUrlForLayer)
                .operation("PutLifecyclePolicy", lifecycleOps::putLifecyclePolicy)
                .operation("GetLifecyclePolicy", lifecycleOps::getLifecyclePolicy)
                .operation("DeleteLifecyclePolicy", lifecycleOps::deleteLifecyclePolicy)
                .operation("StartLifecyclePolicyPreview", lifecycleOps::startLifecyclePolicyPreview)
                .operation("GetLifecyclePolicyPreview", lifecycleOps::getLifecyclePolicyPreview)
                .operation("StartImageScan", scanOps::startImageScan)
                .operation("DescribeImageScanFindings", scanOps::describeImageScanFindings);
        JsonService ecr = EcrErrors.register(builder).build();

        DistributionRoute v2 = new DistributionRoute(repositories, images, layers, tokens);
        GarbageCollector gc = new GarbageCollector(images, layers, blobs, clock, settings.gcGrace(),
                settings.uploadTtl());
        RegistryBackground background = RegistryBackground.start(settings, gc, enforcer, scanner, blobs);
        images.onPush(pushed -> {
            String name = pushed.image().repository();
            if (repositories.find(name).map(r -> r.lifecyclePolicyText() != null).orElse(false)) {
                background.enforceSoon(name);
            }
        });
        return new Registry(ecr, v2, background);
    }
}
