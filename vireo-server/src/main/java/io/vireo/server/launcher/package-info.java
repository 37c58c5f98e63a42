/** The {@code vireo} launcher: the process commands ({@code up}, {@code server}, {@code agent}) and the client. */
@NullMarked
package io.vireo.server.launcher;

import org.jspecify.annotations.NullMarked;
