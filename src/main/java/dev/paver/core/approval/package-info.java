/**
 * Approvals: who approves what, the requests and their votes and store, and the {@link Directory} port to the chat's
 * people and groups. Layer 5 of the core: may import layers 1 to 4 (uses {@code audit} and {@code report}).
 */
package dev.paver.core.approval;
