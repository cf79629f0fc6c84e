/**
 * The Backstage adapter: Paver reads a Backstage portal's catalog (domains, systems, groups, users) through its REST
 * API ({@code /api/catalog/entities/by-query}), takes its tagged Templates as golden paths and runs them as tasks of its
 * Scaffolder ({@code /api/scaffolder/v2/tasks}: Backstage as the engine), with a static external-access token
 * (backstage.io/docs/auth/service-to-service-auth#static-tokens) read from a mounted file. It depends on the core and
 * on {@code config}'s settings; nothing depends on it but the application's wiring.
 */
package dev.paver.backstage;
