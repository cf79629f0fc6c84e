package dev.paver.backstage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback stand-in for Backstage's {@code GET /api/catalog/entities/by-query}: answers with the entities it is
 * given, two a page with a cursor (as Backstage pages), keeping only the kinds of the {@code filter}s; it can answer
 * with an error, not at all (until closed), or with something that is not the catalog's. It records each request's
 * query and {@code Authorization} header.
 */
final class BackstageCatalogStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How it answers. */
    enum Mode { NORMAL, ERROR, SILENT, NOT_JSON }

    private final HttpServer server;
    private final List<ObjectNode> entities = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Mode mode = Mode.NORMAL;
    private volatile String acceptedToken;

    BackstageCatalogStandIn(String acceptedToken) throws IOException {
        this.acceptedToken = acceptedToken;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/catalog/entities/by-query", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    void acceptedToken(String token) {
        this.acceptedToken = token;
    }

    /** Adds an entity of {@code kind} named {@code name} with {@code spec}, etag {@code etag}. */
    ObjectNode add(String kind, String name, String etag, Map<String, Object> spec) {
        ObjectNode entity = JSON.createObjectNode().put("apiVersion", "backstage.io/v1alpha1").put("kind", kind);
        entity.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + kind + "-" + name)
                .put("etag", etag);
        entity.set("spec", JSON.valueToTree(spec));
        entities.add(entity);
        return entity;
    }

    void remove(String kind, String name) {
        entities.removeIf(e -> e.path("kind").asText().equals(kind) && e.path("metadata").path("name").asText().equals(name));
    }

    /** The decoded queries received, in order. */
    List<String> queries() {
        return List.copyOf(queries);
    }

    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    void clearRecords() {
        queries.clear();
        authorizations.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
        queries.add(query);
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        switch (mode) {
            case SILENT -> {
                try {
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            case ERROR -> {
                send(exchange, 503, "{\"error\":{\"name\":\"ServiceUnavailableError\",\"message\":\"database is down\"}}");
                return;
            }
            case NOT_JSON -> {
                send(exchange, 200, "<html>sign in</html>");
                return;
            }
            default -> { }
        }
        if (!("Bearer " + acceptedToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"error\":{\"name\":\"AuthenticationError\",\"message\":\"Illegal token\"}}");
            return;
        }
        // the cursor stands for the filter and the offset, as Backstage's encodes both
        List<String> kinds = new ArrayList<>();
        int offset = 0;
        String fields = "";
        for (String parameter : query.split("&")) {
            String[] kv = parameter.split("=", 2);
            switch (kv[0]) {
                case "filter" -> kinds.add(kv[1].substring("kind=".length()));
                case "cursor" -> {
                    String[] cursor = kv[1].split(";");
                    offset = Integer.parseInt(cursor[0]);
                    kinds.addAll(List.of(cursor[1].split(",")));
                }
                case "fields" -> fields = kv[1];
                default -> { }
            }
        }
        List<ObjectNode> matching = entities.stream()
                .filter(e -> kinds.contains(e.path("kind").asText().toLowerCase())).toList();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode items = answer.putArray("items");
        for (ObjectNode entity : matching.subList(offset, Math.min(offset + 2, matching.size()))) {
            items.add(fields.equals("metadata.uid,metadata.etag") ? onlyUidAndEtag(entity) : entity);
        }
        answer.put("totalItems", matching.size());
        ObjectNode pageInfo = answer.putObject("pageInfo");
        if (offset + 2 < matching.size()) {
            pageInfo.put("nextCursor", (offset + 2) + ";" + String.join(",", kinds));
        }
        send(exchange, 200, answer.toString());
    }

    private static ObjectNode onlyUidAndEtag(ObjectNode entity) {
        ObjectNode only = JSON.createObjectNode();
        only.putObject("metadata").put("uid", entity.path("metadata").path("uid").asText())
                .put("etag", entity.path("metadata").path("etag").asText());
        return only;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
