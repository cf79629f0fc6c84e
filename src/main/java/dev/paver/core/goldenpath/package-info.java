/**
 * What a golden path is: templates, their parameters and steps, catalogs, rendering, the request check, and the
 * {@link RepositoryPort} to the git host that holds them. Layer 3 of the core: may import layers 1 and 2.
 */
package dev.paver.core.goldenpath;
