package io.hawser.agent.api;

import io.hawser.agent.container.ContainerCommit;
import io.hawser.agent.container.ContainerFiles;
import io.hawser.agent.container.Containers;
import io.hawser.agent.image.Image;
import io.hawser.agent.image.ImageArchive;
import io.hawser.agent.image.ImageReference;
import io.hawser.agent.image.ImageStore;
import io.hawser.agent.sys.FileSyscalls;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Moving images and files in and out: {@code docker commit}, {@code save}/{@code load} ({@link ImageArchiveHandlers}),
 * {@code export} and {@code cp} ({@link ContainerArchiveHandlers}). One registration for AgentMain.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Image/operation/ImageCommit">ImageCommit</a>
 */
public final class TransferEndpoints {

    private final ContainerCommit commit;

    private TransferEndpoints(ContainerCommit commit) {
        this.commit = commit;
    }

    public static EngineApi.Builder register(EngineApi.Builder routes, Containers containers, ImageStore images, FileSyscalls fs) {
        TransferEndpoints e = new TransferEndpoints(new ContainerCommit(containers, images, fs));
        ImageArchiveHandlers archives = new ImageArchiveHandlers(new ImageArchive(images));
        ContainerArchiveHandlers files = new ContainerArchiveHandlers(containers, new ContainerFiles(containers, fs));
        return routes
                .route("POST", "/commit", e::commit)
                .route("GET", "/images/get", archives::saveMany)
                .route("GET", "/images/{name:.*}/get", archives::saveOne)
                .route("POST", "/images/load", archives::load)
                .route("GET", "/containers/{id}/export", files::export)
                .route("HEAD", "/containers/{id}/archive", files::stat)
                .route("GET", "/containers/{id}/archive", files::get)
                .route("PUT", "/containers/{id}/archive", files::put);
    }

    /**
     * {@code POST /commit}: 201 {@code {"Id":"sha256:..."}}. As dockerd (router/image, postCommit), pause
     * defaults to true when absent; the body (a Config to use instead of the container's) is not read.
     */
    private void commit(ApiCall call) throws IOException {
        String pause = call.request().queryParam("pause");
        ImageReference tag = ImageCreateHandler.tag(call.request().queryParam("repo"), call.request().queryParam("tag"));
        Image image = commit.commit(new ContainerCommit.Request(call.request().queryParam("container"), tag,
                call.request().queryParam("comment"), call.request().queryParam("author"),
                call.request().query().getOrDefault("changes", List.of()), pause == null || pause.isEmpty() || call.queryFlag("pause")));
        call.exchange().sendJson(201, Map.of("Id", image.id().toString()));
    }
}
