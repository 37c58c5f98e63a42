package io.vireo.api.resource;

import static java.util.Objects.requireNonNull;

import io.vireo.api.http.ApiRequest;
import io.vireo.api.http.ApiResponse;
import io.vireo.api.http.HttpMethod;
import io.vireo.api.http.Operation;
import io.vireo.api.http.Parameter;
import io.vireo.api.http.Payload;
import io.vireo.api.http.Route;
import io.vireo.api.json.ImageJson;
import io.vireo.api.json.NewImageJson;
import io.vireo.api.json.PageJson;
import io.vireo.common.ErrorCode;
import io.vireo.common.Names;
import io.vireo.common.VireoException;
import io.vireo.controller.CatalogService;
import io.vireo.controller.ImageService;
import io.vireo.controller.port.Page;
import io.vireo.model.Image;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /images}: image records of the caller's project, the upload of their bytes (streamed, checked, inspected) and
 * their download, which host agents use to fetch images. Thread-safe.
 */
public final class ImageResource {
    static final String PATH = ApiPaths.V1 + "/images";

    /** The header a download carries the bytes' SHA-256 in. */
    public static final String SHA256_HEADER = "X-Vireo-Sha256";

    private static final Pattern HEX_64 = Pattern.compile("[0-9A-Fa-f]{64}");
    private static final Parameter NAME = Parameter.path("name", "The image's name.");
    private static final Parameter NAME_OR_ID = Parameter.path("nameOrId", "The image's name or id.");
    private static final Parameter SHA256 = Parameter.query(
            "sha256", "The SHA-256 (64 hex digits) the uploaded bytes must have; an upload with others is refused.");

    private final CatalogService catalog;
    private final ImageService images;

    public ImageResource(CatalogService catalog, ImageService images) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.images = requireNonNull(images, "images is null");
    }

    public List<Route> routes() {
        return List.of(
                Route.of(
                        HttpMethod.GET,
                        PATH,
                        Operation.builder("listImages", "List the project's images, ordered by name")
                                .paged()
                                .responds(200, "A page of images", Payload.pageOf(ImageJson.class))
                                .build(),
                        this::list),
                Route.of(
                        HttpMethod.POST,
                        PATH,
                        Operation.builder(
                                        "createImage",
                                        "Create an image record: qcow2 and raw images are PENDING until their bytes"
                                                + " are uploaded; kernel-initrd images are host-local and ACTIVE")
                                .parameter(SHA256)
                                .requestBody(NewImageJson.class)
                                .responds(201, "The new image", Payload.of(ImageJson.class))
                                .errors(ErrorCode.ALREADY_EXISTS)
                                .build(),
                        this::create),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{name}",
                        Operation.builder("getImage", "Get an image")
                                .parameter(NAME)
                                .responds(200, "The image", Payload.of(ImageJson.class))
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::get),
                Route.of(
                        HttpMethod.DELETE,
                        PATH + "/{name}",
                        Operation.builder(
                                        "deleteImage",
                                        "Delete an image record and its bytes; refused (409) while VMs that are not"
                                                + " deleted were created from it")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::delete),
                Route.of(
                        HttpMethod.PUT,
                        PATH + "/{nameOrId}/file",
                        Operation.builder(
                                        "uploadImage",
                                        "Upload the bytes of a PENDING or REJECTED qcow2 or raw image (streamed); the"
                                                + " image becomes ACTIVE once they match its checksum and pass"
                                                + " inspection, else REJECTED with the reason and nothing is kept; 503,"
                                                + " the image unchanged, while the server cannot inspect images (no"
                                                + " qemu-img)")
                                .parameter(NAME_OR_ID)
                                .binaryRequestBody()
                                .responds(200, "The ACTIVE image", Payload.of(ImageJson.class))
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.UNAVAILABLE)
                                .build(),
                        this::upload),
                Route.of(
                        HttpMethod.GET,
                        PATH + "/{nameOrId}/file",
                        Operation.builder("downloadImage", "Download the bytes of an ACTIVE uploaded image")
                                .parameter(NAME_OR_ID)
                                .agentAccess()
                                .responds(200, "The image's bytes", Payload.binary())
                                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                                .build(),
                        this::download));
    }

    private ApiResponse list(ApiRequest request) {
        Page<Image> page = NamePages.page(
                catalog.images(request.context()),
                Image::name,
                request.limit(),
                request.cursor().orElse(null));
        return ApiResponse.ok(
                new PageJson<>(page.items().stream().map(ImageJson::of).toList(), page.nextCursor()));
    }

    private ApiResponse create(ApiRequest request) {
        String sha256 = request.query("sha256").orElse(null);
        if (sha256 != null && !HEX_64.matcher(sha256).matches()) {
            throw VireoException.invalid("sha256", "must be 64 hexadecimal digits");
        }
        NewImageJson body = request.body(NewImageJson.class);
        Image image =
                images.create(request.context(), body.name(), body.format().toModel(), sha256);
        return ApiResponse.created(ImageJson.of(image), PATH + "/" + image.name());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(ImageJson.of(catalog.image(request.context(), name(request))));
    }

    private ApiResponse delete(ApiRequest request) {
        images.delete(request.context(), name(request));
        return ApiResponse.noContent();
    }

    private ApiResponse upload(ApiRequest request) {
        String nameOrId = nameOrId(request);
        Image image = images.upload(request.context(), nameOrId, request.bodyStream(), request.contentLength());
        return ApiResponse.ok(ImageJson.of(image));
    }

    private ApiResponse download(ApiRequest request) {
        String nameOrId = nameOrId(request);
        ImageService.ImageBytes bytes = request.callerIsAgent()
                ? images.downloadForAgent(nameOrId)
                : images.download(request.context(), nameOrId);
        Image image = bytes.image();
        return ApiResponse.binary(
                bytes.stream(),
                image.sizeBytes(),
                Map.of(SHA256_HEADER, requireNonNull(image.content().sha256(), "an ACTIVE upload has a sha256")));
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }

    private static String nameOrId(ApiRequest request) {
        return Lookups.requireNameOrId("nameOrId", request.pathParameter("nameOrId"));
    }
}
