/**
 * The server's image bytes: {@link io.vireo.images.LocalImageFiles} keeps uploads on local disk (streamed, hashed,
 * named by UUID) and {@link io.vireo.images.QemuImgInspector} decides whether they are safe qcow2 or raw images. Both
 * implement ports of the controller.
 */
@NullMarked
package io.vireo.images;

import org.jspecify.annotations.NullMarked;
