package io.berth.registry.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints of the distribution spec, recognized from a request path. Repository names may
 * contain slashes, so each form is matched from its end.
 */
record OciPath(Kind kind, String name, String reference) {
    enum Kind { BASE, CATALOG, MANIFEST, BLOB, UPLOADS, UPLOAD, TAGS, REFERRERS, UNKNOWN }

    private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
    private static final Pattern UPLOADS = Pattern.compile("^/v2/(.+)/blobs/uploads/?$");
    private static final Pattern UPLOAD = Pattern.compile("^/v2/(.+)/blobs/uploads/([^/]+)$");
    private static final Pattern BLOB = Pattern.compile("^/v2/(.+)/blobs/([^/]+)$");
    private static final Pattern TAGS = Pattern.compile("^/v2/(.+)/tags/list$");
    private static final Pattern REFERRERS = Pattern.compile("^/v2/(.+)/referrers/([^/]+)$");

    static OciPath parse(String path) {
        if (path == null) {
            return new OciPath(Kind.UNKNOWN, null, null);
        }
        if (path.equals("/v2/") || path.equals("/v2")) {
            return new OciPath(Kind.BASE, null, null);
        }
        if (path.equals("/v2/_catalog")) {
            return new OciPath(Kind.CATALOG, null, null);
        }
        Matcher m;
        if ((m = UPLOADS.matcher(path)).matches()) {
            return new OciPath(Kind.UPLOADS, m.group(1), null);
        }
        if ((m = UPLOAD.matcher(path)).matches()) {
            return new OciPath(Kind.UPLOAD, m.group(1), m.group(2));
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            return new OciPath(Kind.MANIFEST, m.group(1), m.group(2));
        }
        if ((m = BLOB.matcher(path)).matches()) {
            return new OciPath(Kind.BLOB, m.group(1), m.group(2));
        }
        if ((m = TAGS.matcher(path)).matches()) {
            return new OciPath(Kind.TAGS, m.group(1), null);
        }
        if ((m = REFERRERS.matcher(path)).matches()) {
            return new OciPath(Kind.REFERRERS, m.group(1), m.group(2));
        }
        return new OciPath(Kind.UNKNOWN, null, null);
    }
}
