package dev.paver.core.report;

/** A titled URL shown in a card or a thread reply. */
public record Link(String title, String url) {
}
