/**
 * The platform contract (CONVENTIONS.md) and the conventions gate: names, labels, profiles, resource kinds, overlays
 * and the rules over rendered manifests. Layer 1 of the core: imports no other core package.
 */
package dev.paver.core.convention;
