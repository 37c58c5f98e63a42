/** What every Vireo process adds to its log lines: the correlation id of the request being served. */
@NullMarked
package io.vireo.common.logging;

import org.jspecify.annotations.NullMarked;
