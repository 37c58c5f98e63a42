package io.vireo.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vireo.model.ImageFormat;

/** Image formats as the API spells them. */
public enum ImageFormatJson {
    @JsonProperty("qcow2")
    QCOW2(ImageFormat.QCOW2),
    @JsonProperty("raw")
    RAW(ImageFormat.RAW),
    @JsonProperty("kernel-initrd")
    KERNEL_INITRD(ImageFormat.KERNEL_INITRD);

    private final ImageFormat format;

    ImageFormatJson(ImageFormat format) {
        this.format = format;
    }

    public ImageFormat toModel() {
        return format;
    }

    public static ImageFormatJson of(ImageFormat format) {
        for (ImageFormatJson candidate : values()) {
            if (candidate.format == format) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("image format without a JSON name: " + format);
    }
}
