/**
 * The audit log (its port and entries) and the trail {@code /platform audit} shows. Layer 4 of the core: may import
 * layers 1 to 3 (uses {@code convention} and {@code goldenpath}).
 */
package dev.paver.core.audit;
