package dev.paver.backstage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.goldenpath.CatalogEntities;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    private static final String FINGERPRINT_FIELDS = "metadata.uid,metadata.etag";
    private static final String ENTITY_FIELDS = "apiVersion,kind,metadata.name,metadata.namespace,metadata.uid,"
            + "metadata.etag,metadata.annotations,spec.owner,spec.domain,spec.memberOf,spec.type";
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
     * @throws Unavailable when a page cannot be read ({@link BackstageApi#entities})
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
        return api.entities(KINDS.stream().map(kind -> "kind=" + kind.toLowerCase()).toList(), fields, pageSize);
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

}
