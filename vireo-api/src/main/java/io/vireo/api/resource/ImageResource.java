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
import io.vireo.controller.CatalogService;
import io.vireo.controller.port.Page;
import io.vireo.model.Image;
import java.util.List;

/** {@code /images}: image records of the caller's project (metadata only for now). Thread-safe. */
public final class ImageResource {
    static final String PATH = ApiPaths.V1 + "/images";

    private static final Parameter NAME = Parameter.path("name", "The image's name.");

    private final CatalogService catalog;

    public ImageResource(CatalogService catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
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
                        Operation.builder("createImage", "Create an image record; its bytes are uploaded separately")
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
                        Operation.builder("deleteImage", "Delete an image record")
                                .parameter(NAME)
                                .responds(204, "Deleted", Payload.none())
                                .errors(ErrorCode.NOT_FOUND)
                                .build(),
                        this::delete));
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
        NewImageJson body = request.body(NewImageJson.class);
        Image image = catalog.createImage(
                request.context(), body.name(), body.format().toModel(), 0);
        return ApiResponse.created(ImageJson.of(image), PATH + "/" + image.name());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(ImageJson.of(catalog.image(request.context(), name(request))));
    }

    private ApiResponse delete(ApiRequest request) {
        catalog.deleteImage(request.context(), name(request));
        return ApiResponse.noContent();
    }

    private static String name(ApiRequest request) {
        return Names.require("name", request.pathParameter("name"));
    }
}
