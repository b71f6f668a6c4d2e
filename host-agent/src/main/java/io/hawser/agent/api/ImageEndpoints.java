package io.hawser.agent.api;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.Image;
import io.hawser.agent.image.ImageReference;
import io.hawser.agent.image.ImageRemoval;
import io.hawser.agent.image.ImageStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The image endpoints: list, inspect, history, tag, delete, and import (see {@link ImageCreateHandler}).
 * Names in paths may hold slashes ({@code registry:5000/app:1}), hence {@code {name:.*}}.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Image">Engine API: Image</a>
 */
public final class ImageEndpoints {

    private final ImageStore store;
    private final ImageRemoval removal;

    private ImageEndpoints(ImageStore store, ImageRemoval removal) {
        this.store = store;
        this.removal = removal;
    }

    /** Adds the image routes to {@code routes}; {@code architecture} is the GOARCH name new images get. */
    public static EngineApi.Builder register(EngineApi.Builder routes, ImageStore store, ImageRemoval removal, String architecture) {
        ImageEndpoints e = new ImageEndpoints(store, removal);
        return routes
                .route("POST", "/images/create", new ImageCreateHandler(store, architecture))
                .route("GET", "/images/json", e::list)
                .route("GET", "/images/{name:.*}/json", e::inspect)
                .route("GET", "/images/{name:.*}/history", e::history)
                .route("POST", "/images/{name:.*}/tag", e::tag)
                .route("DELETE", "/images/{name:.*}", e::delete);
    }

    private void list(ApiCall call) throws java.io.IOException {
        ImageListFilters filters = ImageListFilters.parse(call.request().queryParam("filters"), store);
        List<ImageWire.Summary> out = new ArrayList<>();
        for (Image image : store.list()) {
            List<String> tags = filters.apply(image);
            if (tags != null) {
                out.add(ImageWire.summary(image, tags));
            }
        }
        call.exchange().sendJson(200, out);
    }

    private void inspect(ApiCall call) throws java.io.IOException {
        Image image = store.get(call.pathParam("name"));
        call.exchange().sendJson(200, ImageWire.inspect(image, store.snapshotDirs(image.id())));
    }

    private void history(ApiCall call) throws java.io.IOException {
        call.exchange().sendJson(200, ImageWire.history(store.get(call.pathParam("name")), store::layerSize));
    }

    /** 201 with no body, as dockerd answers. */
    private void tag(ApiCall call) throws java.io.IOException {
        String repo = call.request().queryParam("repo");
        if (repo == null || repo.isEmpty()) {
            throw AgentException.invalidArgument("repository name must have at least one component");
        }
        String tag = call.request().queryParam("tag");
        ImageReference target = ImageReference.parse(repo);
        if (tag != null && !tag.isEmpty()) {
            target = target.withTag(tag);
        }
        store.tag(call.pathParam("name"), target);
        call.exchange().send(201, null, new byte[0]);
    }

    private void delete(ApiCall call) throws java.io.IOException {
        List<ImageRemoval.Record> records = removal.delete(call.pathParam("name"), call.queryFlag("force"));
        call.exchange().sendJson(200, ImageWire.deleted(records));
    }
}
