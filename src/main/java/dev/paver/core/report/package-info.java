/**
 * What people see: messages, cards, links, the thread a run reports in, how times read in them ({@link Times}), and
 * the {@link Notifier} port that posts them. Layer 1 of the core: imports no other core package, so every package that tells people something may use it.
 */
package dev.paver.core.report;
