package dev.paver.core.secret;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads the two fields Paver needs from a DER X.509 certificate (RFC 5280 section 4.1): {@code tbsCertificate.validity
 * .notAfter} and {@code tbsCertificate.subjectPublicKeyInfo}, without judging the rest.
 *
 * <p>Why this exists: the Sealed Secrets controller makes self-signed certificates whose subject and issuer are only
 * the common name of its {@code --my-cn} flag, empty by default (bitnami-labs/sealed-secrets {@code pkg/crypto/keys.go},
 * {@code SignKeyWithNotBefore}; {@code cmd/controller/main.go}). RFC 5280 forbids an empty issuer, so the JDK's
 * {@code CertificateFactory} refuses such a certificate ("Empty issuer DN not allowed in X509Certificates"), while Go's
 * parser, which kubeseal uses, accepts it. {@link SealingKey} asks the JDK first and comes here when it refuses.
 */
final class CertificateDer {

    /** rsaEncryption, 1.2.840.113549.1.1.1, as DER content bytes. */
    static final byte[] RSA_ENCRYPTION = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OID = 0x06;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int EXPLICIT_0 = 0xa0;

    /** The fields read; {@code algorithm} is the public key's algorithm OID as DER content bytes. */
    record Fields(Instant notAfter, byte[] subjectPublicKeyInfo, byte[] algorithm) {
    }

    /** Not DER X.509 as far as the two fields go. The message names the structure, never content. */
    static final class NotACertificate extends Exception {
        NotACertificate(String message) {
            super(message);
        }
    }

    private CertificateDer() {
    }

    /**
     * @param pem text from {@code -----BEGIN CERTIFICATE-----} on
     * @return the DER bytes of the first PEM certificate
     */
    static byte[] decodePem(String pem) throws NotACertificate {
        String begin = "-----BEGIN CERTIFICATE-----";
        String end = "-----END CERTIFICATE-----";
        int from = pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new NotACertificate("no complete PEM certificate block");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new NotACertificate("the PEM block is not base64");
        }
    }

    static Fields read(byte[] der) throws NotACertificate {
        Reader certificate = new Reader(der, 0, der.length).enter(SEQUENCE, "Certificate");
        Reader tbs = certificate.enter(SEQUENCE, "tbsCertificate");
        if (tbs.peek() == EXPLICIT_0) {
            tbs.skip("version");
        }
        tbs.expect(INTEGER, "serialNumber");
        tbs.expect(SEQUENCE, "signature");
        tbs.expect(SEQUENCE, "issuer");
        Reader validity = tbs.enter(SEQUENCE, "validity");
        validity.skip("notBefore");
        Instant notAfter = validity.time("notAfter");
        tbs.expect(SEQUENCE, "subject");
        int spkiStart = tbs.position;
        Reader spki = tbs.enter(SEQUENCE, "subjectPublicKeyInfo");
        byte[] spkiBytes = Arrays.copyOfRange(der, spkiStart, tbs.position);
        Reader algorithm = spki.enter(SEQUENCE, "algorithm");
        byte[] oid = algorithm.content(OID, "algorithm OID");
        return new Fields(notAfter, spkiBytes, oid);
    }

    /** The dotted form of an OID's content bytes, e.g. {@code 1.2.840.10045.2.1}. */
    static String dotted(byte[] oid) {
        if (oid.length == 0) {
            return "(empty)";
        }
        StringBuilder out = new StringBuilder();
        int first = oid[0] & 0xff;
        out.append(first < 80 ? first / 40 : 2).append('.').append(first < 80 ? first % 40 : first - 80);
        long value = 0;
        for (int i = 1; i < oid.length; i++) {
            value = (value << 7) | (oid[i] & 0x7f);
            if ((oid[i] & 0x80) == 0) {
                out.append('.').append(value);
                value = 0;
            }
        }
        return out.toString();
    }

    /** A cursor over the TLVs between {@code position} and {@code end}. */
    private static final class Reader {
        private final byte[] der;
        private int position;
        private final int end;

        Reader(byte[] der, int position, int end) {
            this.der = der;
            this.position = position;
            this.end = end;
        }

        int peek() throws NotACertificate {
            if (position >= end) {
                throw new NotACertificate("the certificate ends early");
            }
            return der[position] & 0xff;
        }

        /** Reads one TLV header; returns {start of content, end of content}. */
        private int[] header(String what) throws NotACertificate {
            if (position + 2 > end) {
                throw new NotACertificate("the certificate ends before its " + what);
            }
            position++; // tag
            int length = der[position++] & 0xff;
            if (length >= 0x80) {
                int bytes = length & 0x7f;
                if (bytes == 0 || bytes > 3 || position + bytes > end) {
                    throw new NotACertificate("the length of its " + what + " is not DER");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[position++] & 0xff);
                }
            }
            if (length > end - position) {
                throw new NotACertificate("its " + what + " is longer than the certificate");
            }
            int[] content = {position, position + length};
            position += length;
            return content;
        }

        private int[] tagged(int tag, String what) throws NotACertificate {
            if (peek() != tag) {
                throw new NotACertificate("its " + what + " is not where X.509 puts it");
            }
            return header(what);
        }

        Reader enter(int tag, String what) throws NotACertificate {
            int[] content = tagged(tag, what);
            return new Reader(der, content[0], content[1]);
        }

        void expect(int tag, String what) throws NotACertificate {
            tagged(tag, what);
        }

        void skip(String what) throws NotACertificate {
            header(what);
        }

        byte[] content(int tag, String what) throws NotACertificate {
            int[] content = tagged(tag, what);
            return Arrays.copyOfRange(der, content[0], content[1]);
        }

        Instant time(String what) throws NotACertificate {
            int tag = peek();
            if (tag != UTC_TIME && tag != GENERALIZED_TIME) {
                throw new NotACertificate("its " + what + " is not a time");
            }
            int[] content = header(what);
            String text = new String(der, content[0], content[1] - content[0], StandardCharsets.US_ASCII);
            try {
                if (tag == UTC_TIME) {
                    // RFC 5280 4.1.2.5.1: YYMMDDHHMMSSZ, YY >= 50 is 19YY
                    LocalDateTime t = LocalDateTime.parse(text, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'"));
                    int year = t.getYear() % 100;
                    return t.withYear(year >= 50 ? 1900 + year : 2000 + year).toInstant(ZoneOffset.UTC);
                }
                return LocalDateTime.parse(text, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new NotACertificate("its " + what + " is not an X.509 time");
            }
        }
    }
}
