package dev.paver.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON documents the stores keep in text columns ({@code *_json}): one mapper, with Java time support. */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    private Json() {
    }

    /** The value as a JSON document; throws IllegalStateException if it cannot be serialised. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A stored document as {@code type}; throws IllegalStateException if it is not readable as one. */
    static <T> T read(String json, Class<T> type) {
        return read(json, MAPPER.constructType(type));
    }

    /** A stored document as a generic {@code type}, e.g. a list of records; throws as {@link #read(String, Class)}. */
    static <T> T read(String json, TypeReference<T> type) {
        return read(json, MAPPER.constructType(type));
    }

    private static <T> T read(String json, JavaType type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getRawClass().getSimpleName() + " is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }
}
