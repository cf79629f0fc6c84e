package dev.paver.core.goldenpath;

import dev.paver.core.convention.Violation;
import dev.paver.core.secret.CertificateSource;
import dev.paver.core.secret.CertificateUnavailableException;
import dev.paver.core.secret.Fingerprint;
import dev.paver.core.secret.InvalidSealedValueException;
import dev.paver.core.secret.Scope;
import dev.paver.core.secret.SealedValues;
import dev.paver.core.secret.Sealer;
import dev.paver.core.secret.SealingKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The template parameters that hold a Secret's value, and how that value becomes a SealedSecret's
 * {@code spec.encryptedData} without ever being stored or shown.
 *
 * <ul>
 *   <li>{@code paver:convention: secret-value}: a plain value, given in the modal only; Paver seals it in memory with the
 *       Sealed Secrets controller's key ({@link Sealer}, byte-compatible with {@code kubeseal --raw}).</li>
 *   <li>{@code paver:convention: sealed-value}: a value the requester sealed with {@code kubeseal --raw}; Paver checks that
 *       it is a well-formed sealed value for the controller's key size ({@link SealedValues#check}).</li>
 * </ul>
 * A request gives exactly one of them. In two phases: {@link #withhold} takes the values out of the request before the
 * request check sees it (the check quotes values in its messages; here each value is replaced by its {@link Fingerprint}),
 * and {@link #seal}, after Slack's acknowledgement because reading the certificate may do I/O, seals or checks the value
 * for the SealedSecret {@code platform.objectName} in {@code platform.namespace}, with the data key of the
 * {@code secret-key} parameter and the scope of the {@code secret-scope} parameter (default strict).
 *
 * <p>What a run keeps of the value: the parameter's text becomes the fingerprint ({@code sha256:} and 12 hex characters)
 * of the plain value, or of the sealed text as pasted; {@code platform.encryptedData} holds {@code {key: sealed value}},
 * {@code platform.sealedBy} is {@code paver} or {@code kubeseal}. The plain value's bytes are zeroed once sealed or
 * refused; the {@code String} the chat payload arrived in cannot be zeroed and is left to the garbage collector.
 */
public final class SecretParameters {

    /** The convention of a plain value that Paver seals. */
    public static final String PLAIN = "secret-value";
    /** The convention of a value sealed with kubeseal. */
    public static final String SEALED = "sealed-value";
    /** The convention of the Secret data key the value goes under. */
    public static final String KEY = "secret-key";
    /** The convention of the scope the value is sealed for. */
    public static final String SCOPE = "secret-scope";
    /** The longest value taken, in characters, when the parameter sets no {@code maxLength}: a Slack text input's limit. */
    public static final int MAX_VALUE = 3000;

    private SecretParameters() {
    }

    /** True when the parameter holds a secret value, plain or sealed: it is never quoted, typed values are refused for plain ones. */
    public static boolean isSecret(Parameter p) {
        return PLAIN.equals(p.convention()) || SEALED.equals(p.convention());
    }

    /** True when the parameter holds a plain value that must never be typed on a command line. */
    public static boolean isPlain(Parameter p) {
        return PLAIN.equals(p.convention());
    }

    /**
     * The secret values taken out of a request, held until {@link #seal} or {@link #discard}. Its {@code toString} names
     * the parameters only.
     */
    public static final class Withheld {
        private final Map<String, byte[]> plain;
        private final Map<String, String> sealed;

        private Withheld(Map<String, byte[]> plain, Map<String, String> sealed) {
            this.plain = plain;
            this.sealed = sealed;
        }

        /** Nothing withheld: the golden path has no secret parameter, or none was given. */
        public static final Withheld NONE = new Withheld(Map.of(), Map.of());

        /** True when no value was withheld. */
        public boolean isEmpty() {
            return plain.isEmpty() && sealed.isEmpty();
        }

        /** Zeroes the plain values' bytes; the held values are of no use afterwards. */
        public void discard() {
            plain.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
        }

        @Override
        public String toString() {
            return "Withheld" + new ArrayList<>(plain.keySet()) + new ArrayList<>(sealed.keySet());
        }
    }

    /**
     * What is left of a request once its secret values are withheld.
     *
     * @param given      the request with each secret value replaced by its fingerprint
     * @param withheld   the values taken out
     * @param violations broken rules about the secret values (both a plain and a sealed value, too long); when not
     *                   empty, {@code withheld} was discarded already
     */
    public record Split(Map<String, String> given, Withheld withheld, List<Violation> violations) {
    }

    /**
     * Takes the secret values out of what was given, before anything else checks (and could quote) them. Rules: at
     * most one secret value ({@code one-value}); a value of at most the parameter's {@code maxLength} characters, else
     * {@value #MAX_VALUE} ({@code max-length}). Messages name parameters, never values. Blank values count as not given.
     *
     * @param given parameter name to text, as typed or submitted; not changed
     */
    public static Split withhold(GoldenPath path, Map<String, String> given) {
        Map<String, String> rest = new LinkedHashMap<>(given);
        Map<String, byte[]> plain = new LinkedHashMap<>();
        Map<String, String> sealed = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        for (Parameter p : path.parameters().parameters()) {
            String value = given.get(p.name());
            if (!isSecret(p) || value == null) {
                continue;
            }
            if (value.isBlank()) {
                rest.remove(p.name());
                continue;
            }
            int max = p.maxLength() == null ? MAX_VALUE : p.maxLength();
            if (value.length() > max) {
                violations.add(Violation.ofParameter(p.name(), "max-length", p.name() + " is " + value.length()
                        + " characters long, more than " + max));
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            rest.put(p.name(), Fingerprint.of(bytes));
            if (isPlain(p)) {
                plain.put(p.name(), bytes);
            } else {
                Arrays.fill(bytes, (byte) 0);
                sealed.put(p.name(), value);
            }
        }
        Withheld withheld = new Withheld(plain, sealed);
        if (plain.size() + sealed.size() > 1) {
            List<String> names = new ArrayList<>(plain.keySet());
            names.addAll(sealed.keySet());
            violations.add(Violation.ofParameter(names.get(0), "one-value", "give one value, not " + String.join(" and ", names)
                    + ": " + describeChoice(path)));
        }
        if (!violations.isEmpty()) {
            withheld.discard();
            return new Split(rest, Withheld.NONE, violations);
        }
        return new Split(rest, withheld, List.of());
    }

    /**
     * The rule that a golden path with secret parameters needs one of them given ({@code required}).
     *
     * @return the violation, naming the first secret parameter; empty when the path has none or one was given
     */
    public static Optional<Violation> missing(GoldenPath path, Withheld withheld) {
        List<Parameter> secrets = path.parameters().parameters().stream().filter(SecretParameters::isSecret).toList();
        if (secrets.isEmpty() || !withheld.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Violation.ofParameter(secrets.get(0).name(), "required", "the secret's value is required: "
                + describeChoice(path)));
    }

    private static String describeChoice(GoldenPath path) {
        List<String> options = new ArrayList<>();
        for (Parameter p : path.parameters().parameters()) {
            if (isPlain(p)) {
                options.add(p.name() + " (the plain value, in the form only; Paver seals it)");
            } else if (SEALED.equals(p.convention())) {
                options.add(p.name() + " (the output of `kubeseal --raw`)");
            }
        }
        return "either " + String.join(" or ", options);
    }

    /**
     * Seals the withheld plain value, or checks the withheld sealed value, for the accepted request. Reads the
     * certificate (which may do I/O: not on a thread that must answer the chat at once). Zeroes the plain value's bytes
     * whatever happens.
     *
     * @param accepted     the request check's outcome for {@link Split#given()}; its {@code platform} has
     *                     {@code namespace} and {@code objectName}
     * @param certificates the Sealed Secrets controllers' certificates: that of {@code platform.environment} when the
     *                     request has one ({@link CertificateSource#current(String)})
     * @return {@link RequestCheck.Accepted} with the parameters' secret values replaced by fingerprints and
     *         {@code platform.encryptedData}, {@code platform.sealedBy}, {@code platform.scope} set; or
     *         {@link RequestCheck.Rejected} naming the secret parameter: no certificate ({@code certificate}), a sealed
     *         value that is not one for the controller's key ({@code sealed-value})
     * @throws IllegalStateException when the golden path has no {@code secret-key} parameter or the request no
     *                               namespace and object name: a template error, not the requester's
     */
    public static RequestCheck.Outcome seal(GoldenPath path, RequestCheck.Accepted accepted, Withheld withheld,
                                            CertificateSource certificates) {
        try {
            if (withheld.isEmpty()) {
                return accepted;
            }
            ParameterSchema schema = path.parameters();
            Parameter keyParameter = schema.parameters().stream().filter(p -> KEY.equals(p.convention())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(path.id() + " has secret parameters but no "
                            + "paver:convention " + KEY + " parameter"));
            String dataKey = String.valueOf(accepted.parameters().get(keyParameter.name()));
            Object scopeText = schema.parameters().stream().filter(p -> SCOPE.equals(p.convention())).findFirst()
                    .map(p -> accepted.parameters().get(p.name())).orElse(null);
            Scope scope = Scope.parse(scopeText == null ? null : String.valueOf(scopeText));
            String namespace = (String) accepted.platform().get("namespace");
            String name = (String) accepted.platform().get("objectName");
            if (namespace == null || name == null) {
                throw new IllegalStateException(path.id() + ": the request has no platform.namespace or "
                        + "platform.objectName (a known-service, an environment and an object-name parameter make them)");
            }
            String parameter = !withheld.plain.isEmpty() ? withheld.plain.keySet().iterator().next()
                    : withheld.sealed.keySet().iterator().next();
            SealingKey key;
            try {
                Object environment = accepted.platform().get("environment");
                key = environment instanceof String env ? certificates.current(env) : certificates.current();
            } catch (CertificateUnavailableException e) {
                return new RequestCheck.Rejected(List.of(Violation.ofParameter(parameter, "certificate", "Paver cannot "
                        + (withheld.plain.isEmpty() ? "check the sealed value against" : "seal the value with")
                        + " the Sealed Secrets controller's key: " + e.getMessage())));
            }
            Map<String, Object> parameters = new LinkedHashMap<>(accepted.parameters());
            Map<String, Object> platform = new LinkedHashMap<>(accepted.platform());
            String encrypted;
            if (!withheld.plain.isEmpty()) {
                byte[] plain = withheld.plain.get(parameter);
                parameters.put(parameter, Fingerprint.of(plain));
                encrypted = Sealer.seal(key, scope, namespace, name, plain);
                platform.put("sealedBy", "paver");
            } else {
                try {
                    encrypted = SealedValues.check(key, withheld.sealed.get(parameter));
                } catch (InvalidSealedValueException e) {
                    return new RequestCheck.Rejected(List.of(Violation.ofParameter(parameter, "sealed-value",
                            parameter + ": " + e.getMessage())));
                }
                parameters.put(parameter, Fingerprint.of(encrypted.getBytes(StandardCharsets.US_ASCII)));
                platform.put("sealedBy", "kubeseal");
            }
            platform.put("encryptedData", Map.of(dataKey, encrypted));
            platform.put("scope", scope.id());
            platform.put("keyBits", key.modulusBits());
            return new RequestCheck.Accepted(parameters, platform);
        } finally {
            withheld.discard();
        }
    }
}
