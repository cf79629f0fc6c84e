/**
 * A run: its request, state, steps and store; the intake that starts it, the engine that drives it through the
 * {@link Action} interface, its card and the App Home. Layer 6 of the core: may import layers 1 to 5, never actions.
 */
package dev.paver.core.run;
