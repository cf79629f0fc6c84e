package dev.paver.core.secret;

/**
 * A text that is not a sealed value for the controller's key: empty, not standard base64, too short, or sealed with a
 * key of another size. The message says which and what to do; it never repeats the text (a person may have pasted a
 * plain value by mistake).
 */
public final class InvalidSealedValueException extends IllegalArgumentException {

    InvalidSealedValueException(String message) {
        super(message);
    }
}
