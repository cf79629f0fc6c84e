/**
 * Sealing secret values for the Sealed Secrets controller: certificates, scopes, the sealer and the SealedSecret
 * manifest. Layer 2 of the core: may import layer 1 (uses {@code convention} and {@code report}, for how a date reads).
 */
package dev.paver.core.secret;
