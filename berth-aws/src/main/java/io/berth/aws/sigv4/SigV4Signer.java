package io.berth.aws.sigv4;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs requests with SigV4 (header form), for Berth's own clients: the agent, benchmarks, tests.
 * Thread-safe.
 */
public final class SigV4Signer {
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String accessKeyId;
    private final String secret;
    private final String region;
    private final String service;

    public SigV4Signer(String accessKeyId, String secret, String region, String service) {
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        this.region = region;
        this.service = service;
    }

    /**
     * Returns the headers to add ({@code X-Amz-Date}, {@code Authorization}) for a request with the
     * given method, raw path, raw query (or null), headers to sign (must include {@code host}) and body.
     */
    public Map<String, String> sign(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                    byte[] body, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((k, v) -> signed.put(k.toLowerCase(Locale.ROOT), v.trim()));
        signed.put("x-amz-date", amzDate);
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n')
                .append(SigV4Verifier.canonicalPath(rawPath)).append('\n')
                .append(SigV4Verifier.canonicalQuery(rawQuery, false)).append('\n');
        signed.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        canonical.append('\n').append(signedHeaders).append('\n').append(SigV4Verifier.sha256Hex(body));
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = SigV4Verifier.ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + SigV4Verifier.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
        String signature = SigV4Verifier.sign(secret, date, region, service, toSign);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("X-Amz-Date", amzDate);
        out.put("Authorization", SigV4Verifier.ALGORITHM + " Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return out;
    }
}
