package io.berth.aws.sigv4;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4, in the Authorization-header form and the query-string
 * (presigned) form, by recomputing the signature from the request and the caller's secret.
 *
 * <p>The credential scope's region is taken as signed (Berth serves one region but does not refuse a
 * client configured for another); its service must be one Berth serves, checked by the caller.
 * Thread-safe; derived signing keys are cached per day, region and service.
 */
public final class SigV4Verifier {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final CredentialSource credentials;
    private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();

    public SigV4Verifier(CredentialSource credentials) {
        this.credentials = credentials;
    }

    /** The verified request's credential: access key, region and service of its scope. */
    public record Verified(String accessKeyId, String region, String service) {
    }

    /** Returns the verified credential, or throws {@link AuthException}. */
    public Verified verify(SignedRequest request, Instant now) {
        String authorization = request.header("authorization");
        Map<String, String> query = decodeQuery(request.rawQuery());
        if (authorization != null) {
            return verifyHeader(request, authorization, now);
        }
        if (query.containsKey("X-Amz-Algorithm") || query.containsKey("X-Amz-Signature")) {
            return verifyQuery(request, query, now);
        }
        throw AuthException.missing();
    }

    private Verified verifyHeader(SignedRequest request, String authorization, Instant now) {
        if (!authorization.startsWith(ALGORITHM + " ")) {
            if (authorization.startsWith("AWS4-")) {
                throw AuthException.incomplete("Unsupported AWS 'algorithm': " + authorization.split(" ")[0]);
            }
            throw AuthException.incomplete("Authorization header requires 'Credential' parameter. "
                    + "Authorization header requires 'Signature' parameter. "
                    + "Authorization header requires 'SignedHeaders' parameter. "
                    + "Authorization=" + abbreviate(authorization));
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq > 0) {
                parts.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parts.containsKey(required)) {
                missing.add("Authorization header requires '" + required + "' parameter.");
            }
        }
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            String date = request.header("date");
            if (date == null) {
                missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
            } else {
                amzDate = date;
            }
        }
        if (!missing.isEmpty()) {
            throw AuthException.incomplete(String.join(" ", missing) + " Authorization=" + abbreviate(authorization));
        }
        String payloadHash = request.header("x-amz-content-sha256");
        if (payloadHash == null) {
            payloadHash = sha256Hex(request.body());
        }
        return check(request, parts.get("Credential"), parts.get("SignedHeaders"), parts.get("Signature"),
                amzDate, payloadHash, null, now, false, 0);
    }

    private Verified verifyQuery(SignedRequest request, Map<String, String> query, Instant now) {
        for (String required : List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                "X-Amz-SignedHeaders", "X-Amz-Date")) {
            if (!query.containsKey(required)) {
                throw AuthException.incomplete("AWS query-string parameters must include '" + required + "'. "
                        + "Re-examine the query-string parameters.");
            }
        }
        if (!ALGORITHM.equals(query.get("X-Amz-Algorithm"))) {
            throw AuthException.incomplete("Unsupported AWS 'algorithm': " + query.get("X-Amz-Algorithm"));
        }
        long expires = 0;
        if (query.containsKey("X-Amz-Expires")) {
            try {
                expires = Long.parseLong(query.get("X-Amz-Expires"));
            } catch (NumberFormatException e) {
                throw AuthException.incomplete("X-Amz-Expires must be a number of seconds.");
            }
        }
        String payloadHash = request.header("x-amz-content-sha256");
        if (payloadHash == null) {
            payloadHash = request.body().length == 0 ? EMPTY_SHA256 : sha256Hex(request.body());
        }
        return check(request, query.get("X-Amz-Credential"), query.get("X-Amz-SignedHeaders"),
                query.get("X-Amz-Signature"), query.get("X-Amz-Date"), payloadHash, "UNSIGNED-PAYLOAD",
                now, true, expires);
    }

    private Verified check(SignedRequest request, String credential, String signedHeaders, String signature,
                           String amzDate, String payloadHash, String alternativePayloadHash, Instant now,
                           boolean presigned, long expiresSeconds) {
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw AuthException.incomplete("Credential should be scoped to a valid region, not '"
                    + (scope.length > 2 ? scope[2] : "") + "'. "
                    + "Credential should be scoped to correct service. "
                    + "Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + (scope.length > 4 ? scope[4] : "") + "'.");
        }
        String accessKeyId = scope[0];
        Instant signedAt = parseDate(amzDate);
        if (!amzDate.startsWith(scope[1])) {
            throw AuthException.signature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + scope[1] + "' != '" + amzDate.substring(0, Math.min(8, amzDate.length())) + "', from '" + amzDate + "'.");
        }
        if (presigned) {
            if (now.isAfter(signedAt.plusSeconds(Math.max(expiresSeconds, 0)).plus(Duration.ofMinutes(5)))
                    || signedAt.isAfter(now.plus(MAX_SKEW))) {
                throw AuthException.signature("Signature expired: " + amzDate + " is now earlier than "
                        + AMZ_DATE.format(now.minusSeconds(expiresSeconds)) + " (" + AMZ_DATE.format(now)
                        + " - " + expiresSeconds + " sec.)");
            }
        } else if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            throw AuthException.signature("Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
        } else if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw AuthException.signature("Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }
        Optional<String> secret = credentials.secretFor(accessKeyId);
        if (secret.isEmpty()) {
            throw AuthException.unrecognized();
        }
        byte[] key = signingKey(secret.get(), scope[1], scope[2], scope[3]);
        String scopeText = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
        String canonicalPrefix = canonicalPrefix(request, signedHeaders, presigned);
        if (matches(key, amzDate, scopeText, canonicalPrefix + payloadHash, signature)
                || (alternativePayloadHash != null
                && matches(key, amzDate, scopeText, canonicalPrefix + alternativePayloadHash, signature))) {
            return new Verified(accessKeyId, scope[2], scope[3]);
        }
        throw AuthException.badSignature();
    }

    private static boolean matches(byte[] key, String amzDate, String scope, String canonicalRequest, String signature) {
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(
                canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] expected = HexFormat.of().formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private static String canonicalPrefix(SignedRequest request, String signedHeaders, boolean presigned) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(request.method()).append('\n');
        sb.append(canonicalPath(request.rawPath())).append('\n');
        sb.append(canonicalQuery(request.rawQuery(), presigned)).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers().get(name);
            sb.append(name).append(':');
            if (values != null) {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(values.get(i).trim().replaceAll(" +", " "));
                }
            }
            sb.append('\n');
        }
        sb.append('\n').append(signedHeaders).append('\n');
        return sb.toString();
    }

    /** Each segment of the path as sent, encoded once more (SigV4 for services other than S3). */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (String segment : rawPath.split("/", -1)) {
            if (!sb.isEmpty() || rawPath.startsWith("/")) {
                sb.append('/');
            }
            sb.append(uriEncode(segment));
        }
        String path = sb.toString();
        return path.startsWith("//") ? path.substring(1) : path;
    }

    static String canonicalQuery(String rawQuery, boolean presigned) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (presigned && "X-Amz-Signature".equals(name)) {
                continue;
            }
            sorted.computeIfAbsent(uriEncode(name), k -> new ArrayList<>()).add(uriEncode(value));
        }
        StringBuilder sb = new StringBuilder();
        sorted.forEach((name, values) -> {
            values.sort(null);
            for (String value : values) {
                if (!sb.isEmpty()) {
                    sb.append('&');
                }
                sb.append(name).append('=').append(value);
            }
        });
        return sb.toString();
    }

    private static Map<String, String> decodeQuery(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty() || !rawQuery.contains("X-Amz-")) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** RFC 3986 encoding as SigV4 defines it: unreserved characters stay, everything else is %XX. */
    static String uriEncode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static Instant parseDate(String amzDate) {
        try {
            return AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            try {
                return DateTimeFormatter.RFC_1123_DATE_TIME.parse(amzDate, Instant::from);
            } catch (DateTimeParseException e2) {
                throw AuthException.incomplete("Date must be in ISO-8601 'basic format'. Got '" + abbreviate(amzDate)
                        + "'. See http://en.wikipedia.org/wiki/ISO_8601");
            }
        }
    }

    private byte[] signingKey(String secret, String date, String region, String service) {
        String cacheKey = secret + "\u0000" + date + "\u0000" + region + "\u0000" + service;
        return signingKeys.computeIfAbsent(cacheKey, k -> {
            if (signingKeys.size() > 1024) {
                signingKeys.clear();
            }
            byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
            byte[] kRegion = hmac(kDate, region);
            byte[] kService = hmac(kRegion, service);
            return hmac(kService, "aws4_request");
        });
    }

    /** Signs a string with a derived key; exposed for clients in tests and benchmarks. */
    public static String sign(String secret, String date, String region, String service, String stringToSign) {
        byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] key = hmac(hmac(hmac(kDate, region), service), "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
