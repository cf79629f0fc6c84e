/**
 * The built-in actions a golden path's steps call, the ports to Argo CD and Crossplane they act through, and access
 * extensions. Layer 7 of the core (the top): may import every other core package; none imports it.
 */
package dev.paver.core.action;
