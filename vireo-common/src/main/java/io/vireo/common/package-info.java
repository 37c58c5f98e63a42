/** Identifiers, error codes, validation and other types shared by every Vireo module. */
@NullMarked
package io.vireo.common;

import org.jspecify.annotations.NullMarked;
