package dev.paver.backstage;

import dev.paver.config.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Backstage token, read from a mounted file ({@code paver.backstage.token-file}): the file's text without
 * surrounding white space. It is read at start-up and again when Backstage refuses it (a rotated secret). The token
 * is never part of a message, a log line or {@link #toString()}.
 */
final class TokenFile {

    static final String SETTING = "paver.backstage.token-file";

    private final Path file;
    private volatile String token;

    /**
     * Reads the token.
     *
     * @throws InvalidSettingException when the setting is empty, or the file is missing, unreadable or empty; the
     *                                 message names {@value #SETTING}
     */
    TokenFile(String file) {
        if (file == null || file.isBlank()) {
            throw new InvalidSettingException("paver.backstage.url is set but " + SETTING + " (PAVER_BACKSTAGE_TOKEN_FILE) "
                    + "is not: mount a file holding a static external-access token of Backstage "
                    + "(backend.auth.externalAccess) and name it");
        }
        this.file = Path.of(file);
        this.token = read(this.file);
    }

    /** The token as last read. */
    String token() {
        return token;
    }

    /**
     * Reads the file again.
     *
     * @return true when it holds another token than before; false when it is the same or cannot be read now
     */
    boolean reload() {
        try {
            String now = read(file);
            boolean changed = !now.equals(token);
            token = now;
            return changed;
        } catch (InvalidSettingException e) {
            return false;
        }
    }

    private static String read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InvalidSettingException(SETTING + " (PAVER_BACKSTAGE_TOKEN_FILE) is " + file + ", which cannot be "
                    + "read (" + e.getClass().getSimpleName() + "): mount the file holding Backstage's token there, "
                    + "readable by Paver's user");
        }
        if (text.isEmpty()) {
            throw new InvalidSettingException(SETTING + " (PAVER_BACKSTAGE_TOKEN_FILE) is " + file + ", which is empty: "
                    + "write Backstage's static external-access token into it");
        }
        return text;
    }

    @Override
    public String toString() {
        return "token from " + file;
    }
}
