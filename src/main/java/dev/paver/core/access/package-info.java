/**
 * Who may have which production access: the access policy and its roles, grants and their store, and the ports to
 * the cluster's RBAC and to people's cluster identities. Layer 1 of the core: imports no other core package.
 */
package dev.paver.core.access;
