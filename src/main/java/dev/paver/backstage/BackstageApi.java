package dev.paver.backstage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.goldenpath.CatalogEntities;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Calls a Backstage backend's REST API with {@code Authorization: Bearer <token>} and reads its JSON answers. Each
 * request waits at most the configured timeout; redirects are not followed (the token goes to the configured host
 * only). A {@code 401} makes it read the token file again and, when the token changed, send the request once more.
 */
final class BackstageApi {

    /** At most this many pages are read in one query: a cursor that never ends is Backstage's fault, not a loop's. */
    static final int MAX_PAGES = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final TokenFile token;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl the backend's base URL, e.g. {@code https://backstage.example.com} (a path prefix is kept)
     * @param timeout how long one request may take, connecting included
     */
    BackstageApi(URI baseUrl, TokenFile token, Duration timeout) {
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The base URL, for messages. */
    String baseUrl() {
        return baseUrl;
    }

    /**
     * {@code GET pathAndQuery}, its answer as JSON.
     *
     * @param pathAndQuery an absolute path with its encoded query, e.g. {@code /api/catalog/entities/by-query?limit=1}
     * @throws CatalogEntities.Unavailable when Backstage cannot be reached or does not answer in time, answers other than
     *                                     200 (the message has its status and error message) or not with JSON
     */
    JsonNode get(String pathAndQuery) {
        return call("GET", pathAndQuery, null, timeout);
    }

    /**
     * {@code GET pathAndQuery} that may take {@code wait} (a long poll, such as a task's events), its answer as JSON.
     *
     * @throws CatalogEntities.Unavailable as {@link #get(String)} does
     */
    JsonNode get(String pathAndQuery, Duration wait) {
        return call("GET", pathAndQuery, null, wait);
    }

    /**
     * {@code POST path} with a JSON body; its answer (200 or 201) as JSON.
     *
     * @throws CatalogEntities.Unavailable as {@link #get(String)} does, for any other status too
     */
    JsonNode post(String path, JsonNode body) {
        return call("POST", path, body.toString(), timeout);
    }

    private JsonNode call(String method, String pathAndQuery, String body, Duration wait) {
        HttpResponse<String> response = send(method, pathAndQuery, body, wait);
        if (response.statusCode() == 401 && token.reload()) {
            response = send(method, pathAndQuery, body, wait);
        }
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new Refusal(response.statusCode(), refusal(method, pathAndQuery, response));
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CatalogEntities.Unavailable("Backstage at " + baseUrl + " answered " + method + " "
                    + path(pathAndQuery) + " with something other than JSON: is paver.backstage.url the backend's URL?");
        }
    }

    /**
     * Every page of {@code GET /api/catalog/entities/by-query} (Backstage's catalog API, "Get entities by query"):
     * the first with {@code filter}s (ORed; within one, {@code key=value} pairs separated by commas are ANDed) and
     * {@code fields}, the next ones with the answer's {@code pageInfo.nextCursor}, which stands for the filters.
     *
     * @param filters  e.g. {@code kind=domain}, {@code kind=template,metadata.tags=paver}
     * @param fields   the entity fields to return, comma-separated, e.g. {@code kind,metadata.name}
     * @param pageSize entities per page ({@code limit})
     * @throws CatalogEntities.Unavailable when a page cannot be read ({@link #get}), an answer has no {@code items},
     *                                     a cursor comes back, or there are more than {@value #MAX_PAGES} pages
     */
    List<JsonNode> entities(List<String> filters, String fields, int pageSize) {
        String common = "&limit=" + pageSize + "&fields=" + encode(fields);
        String next = "/api/catalog/entities/by-query?"
                + filters.stream().map(filter -> "filter=" + encode(filter)).collect(Collectors.joining("&")) + common;
        List<JsonNode> items = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = get(next);
            if (!answer.path("items").isArray()) {
                throw new CatalogEntities.Unavailable("Backstage at " + baseUrl + " answered the catalog query without "
                        + "\"items\": is paver.backstage.url the backend's URL?");
            }
            answer.path("items").forEach(items::add);
            String cursor = answer.path("pageInfo").path("nextCursor").asText("");
            if (cursor.isEmpty()) {
                return items;
            }
            if (!cursors.add(cursor)) {
                throw new CatalogEntities.Unavailable("Backstage at " + baseUrl + " answered the catalog query with a "
                        + "cursor it had already given");
            }
            next = "/api/catalog/entities/by-query?cursor=" + encode(cursor) + common;
        }
        throw new CatalogEntities.Unavailable("Backstage at " + baseUrl + " had more than " + MAX_PAGES + " pages of "
                + pageSize + " entities for " + filters);
    }

    /** Backstage answered, with a status other than 200 or 201; the message has the status and Backstage's error. */
    static final class Refusal extends CatalogEntities.Unavailable {
        private final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status, e.g. 400. */
        int status() {
            return status;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body, Duration wait) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(wait)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token.token());
        HttpRequest request = body == null ? builder.GET().build() : builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new CatalogEntities.Unavailable("Backstage at " + baseUrl + " did not answer " + method + " "
                    + path(pathAndQuery) + " within " + wait.toMillis() + " ms (paver.backstage.timeout)", e);
        } catch (IOException e) {
            throw new CatalogEntities.Unavailable("Backstage at " + baseUrl + " cannot be reached ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogEntities.Unavailable("interrupted while asking Backstage at " + baseUrl, e);
        }
    }

    private String refusal(String method, String pathAndQuery, HttpResponse<String> response) {
        int status = response.statusCode();
        String what = "Backstage at " + baseUrl + " answered " + method + " " + path(pathAndQuery) + " with HTTP " + status;
        String message = errorMessage(response.body());
        String detail = message.isEmpty() ? "" : " (" + message + ")";
        if (status == 401) {
            return what + detail + ": it does not accept the token of " + TokenFile.SETTING + "; give a token of "
                    + "backend.auth.externalAccess";
        }
        if (status == 403) {
            return what + detail + ": the token may not read this; allow it in Backstage's permissions";
        }
        return what + detail;
    }

    /**
     * Backstage's error body is {@code {"error": {"name", "message"}, ...}}, the Scaffolder's refusal of values
     * {@code {"errors": [{"stack"}, ...]}}; its message(s), or "" when it is neither.
     */
    private static String errorMessage(String body) {
        try {
            JsonNode answer = JSON.readTree(body == null ? "" : body);
            List<String> messages = new ArrayList<>();
            answer.path("errors").forEach(error -> messages.add(error.path("stack").asText(error.path("message").asText(""))));
            String message = messages.isEmpty() ? answer.path("error").path("message").asText("") : String.join("; ", messages);
            return message.length() > 200 ? message.substring(0, 200) + "..." : message;
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    private static String path(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}
