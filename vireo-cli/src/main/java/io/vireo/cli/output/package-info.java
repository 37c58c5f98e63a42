/**
 * Rendering for people and for scripts: aligned tables, key-value details, relative ages and JSON. Pure functions of
 * their input (the clock is a parameter) and free of I/O except {@link io.vireo.cli.output.Output}, which writes to the
 * stream it is given.
 */
@NullMarked
package io.vireo.cli.output;

import org.jspecify.annotations.NullMarked;
