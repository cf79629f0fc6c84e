package dev.paver.backstage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.goldenpath.CatalogEntities;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The domains, systems, groups and users of a Backstage catalog, read with
 * {@code GET /api/catalog/entities/by-query} (Backstage's catalog API, "Get entities by query":
 * {@code filter=kind=domain} and the like, ORed; {@code fields} to return only what Paver reads; {@code limit} and the
 * answer's {@code pageInfo.nextCursor} to page). Kinds are spelt as Backstage spells them; entity names drop their
 * namespace, as in the GitOps repositories' catalogs.
 *
 * <p>Cheap when nothing changed: after the first read, {@link #changed()} first asks only for each entity's
 * {@code metadata.uid} and {@code metadata.etag} (Backstage changes the etag whenever the entity changes) and reads
 * the entities again only when that list differs from the last read's.
 */
public final class BackstageCatalog implements CatalogEntities {

    /** The kinds read from Backstage, in the order of the query's filters. */
    static final List<String> KINDS = List.of("Domain", "System", "Group", "User");

    /** Entities per page; Backstage's own default is 20. */
    static final int PAGE_SIZE = 500;
    /** At most this many pages are read in one pass: a cursor that never ends is Backstage's fault, not a loop's. */
    static final int MAX_PAGES = 1000;

    private static final String FINGERPRINT_FIELDS = "metadata.uid,metadata.etag";
    private static final String ENTITY_FIELDS = "apiVersion,kind,metadata.name,metadata.namespace,metadata.uid,"
            + "metadata.etag,metadata.annotations,spec.owner,spec.domain,spec.memberOf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackstageApi api;
    private final int pageSize;
    private String fingerprint;

    BackstageCatalog(BackstageApi api) {
        this(api, PAGE_SIZE);
    }

    /** @param pageSize entities per page ({@code limit}) */
    BackstageCatalog(BackstageApi api, int pageSize) {
        this.api = api;
        this.pageSize = pageSize;
    }

    @Override
    public Set<String> kinds() {
        return new LinkedHashSet<>(KINDS);
    }

    @Override
    public String describe() {
        return "Backstage at " + api.baseUrl();
    }

    /**
     * @throws Unavailable when a page cannot be read ({@link BackstageApi#get}), or the answers are not the catalog's
     *                     ({@code items} missing) or page on beyond {@value #MAX_PAGES} pages
     */
    @Override
    public synchronized Optional<List<ManifestDocument>> changed() {
        if (fingerprint != null && fingerprint.equals(fingerprint(query(FINGERPRINT_FIELDS)))) {
            // unchanged: one small query
            return Optional.empty();
        }
        List<JsonNode> items = query(ENTITY_FIELDS);
        List<ManifestDocument> documents = new ArrayList<>();
        for (JsonNode item : items) {
            Map<String, Object> body = JSON.convertValue(item, new TypeReference<>() { });
            ManifestDocument doc = new ManifestDocument("backstage:" + ref(item), 1, body);
            if (KINDS.contains(doc.kind()) && !doc.name().isEmpty()) {
                documents.add(doc);
            }
        }
        fingerprint = fingerprint(items);
        return Optional.of(List.copyOf(documents));
    }

    /** Every page of the query for {@link #KINDS}, with only {@code fields}. */
    private List<JsonNode> query(String fields) {
        String common = "&limit=" + pageSize + "&fields=" + encode(fields);
        String first = KINDS.stream().map(kind -> "filter=" + encode("kind=" + kind.toLowerCase()))
                .collect(Collectors.joining("&"));
        String next = "/api/catalog/entities/by-query?" + first + common;
        List<JsonNode> items = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = api.get(next);
            if (!answer.path("items").isArray()) {
                throw new Unavailable(describe() + " answered the catalog query without \"items\": is "
                        + "paver.backstage.url the backend's URL?");
            }
            answer.path("items").forEach(items::add);
            String cursor = answer.path("pageInfo").path("nextCursor").asText("");
            if (cursor.isEmpty()) {
                return items;
            }
            if (!cursors.add(cursor)) {
                throw new Unavailable(describe() + " answered the catalog query with a cursor it had already given");
            }
            next = "/api/catalog/entities/by-query?cursor=" + encode(cursor) + common;
        }
        throw new Unavailable(describe() + " had more than " + MAX_PAGES + " pages of " + pageSize
                + " domains, systems, groups and users");
    }

    /** A digest of the entities' uids and etags, in any order; null when an entity has no etag (then always read). */
    private static String fingerprint(List<JsonNode> items) {
        if (items.stream().anyMatch(item -> item.path("metadata").path("etag").asText("").isEmpty())) {
            return null;
        }
        List<String> keys = items.stream()
                .map(item -> item.path("metadata").path("uid").asText("") + ":" + item.path("metadata").path("etag").asText(""))
                .sorted().toList();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            keys.forEach(key -> digest.update((key + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** {@code kind:namespace/name}, Backstage's entity reference. */
    private static String ref(JsonNode item) {
        JsonNode metadata = item.path("metadata");
        return item.path("kind").asText("").toLowerCase() + ":" + metadata.path("namespace").asText("default") + "/"
                + metadata.path("name").asText("");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
