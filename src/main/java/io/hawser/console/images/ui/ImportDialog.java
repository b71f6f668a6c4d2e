package io.hawser.console.images.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.server.streams.UploadHandler;
import com.vaadin.flow.server.streams.UploadMetadata;
import io.hawser.console.images.FleetImage;
import io.hawser.console.images.FleetImages;
import io.hawser.console.images.ImportResult;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * {@code docker import} onto chosen hosts from a tarball uploaded in the browser. The upload goes to a temporary file
 * on the console (a progress bar follows it); then the file is streamed to each chosen host in turn over its link,
 * with a progress bar per host of the bytes sent, updated by server push. The file is deleted afterwards.
 */
class ImportDialog extends Dialog {

    private static final Logger log = LoggerFactory.getLogger(ImportDialog.class);
    /** Progress is pushed at most this often per bar (and at the end). */
    private static final long PUSH_INTERVAL_NANOS = 200_000_000L;

    private final FleetImages images;
    private final HostChoice hosts;
    private final TextField repo = new TextField("Repository");
    private final TextField tag = new TextField("Tag");
    private final ProgressBar uploadBar = new ProgressBar();
    private final Span uploadText = new Span();
    private final VerticalLayout transfers = new VerticalLayout();
    private final Upload upload;

    ImportDialog(FleetImages images, List<FleetImage.HostRef> manageable) {
        this.images = images;
        setHeaderTitle("Import an image from a tarball");
        setWidth("36em");
        hosts = new HostChoice("Onto hosts", manageable, false);
        // The upload may start while a field still has the focus: its value must be on the server by then.
        repo.setValueChangeMode(ValueChangeMode.EAGER);
        tag.setValueChangeMode(ValueChangeMode.EAGER);
        repo.setId("import-repo");
        repo.setPlaceholder("team/app (optional)");
        tag.setId("import-tag");
        tag.setPlaceholder("latest");
        uploadBar.setId("upload-progress");
        uploadBar.setVisible(false);
        uploadText.setId("upload-text");
        transfers.setId("transfers");
        transfers.setPadding(false);
        transfers.setSpacing(false);

        UploadHandler handler = UploadHandler.toTempFile(this::uploaded)
                .whenStart(() -> {
                    uploadBar.setVisible(true);
                    uploadBar.setValue(0);
                    uploadText.setText("Uploading to the console…");
                })
                .onProgress((done, total) -> {
                    uploadBar.setValue(total > 0 ? Math.min(1.0, (double) done / total) : 0);
                    uploadText.setText("Uploading to the console: " + ImagesView.size(done)
                            + (total > 0 ? " of " + ImagesView.size(total) : ""));
                }, 256 * 1024)
                .whenComplete(ok -> {
                    if (!ok) {
                        uploadText.setText("The upload failed");
                        Notifications.error("The upload to the console failed");
                    }
                });
        upload = new Upload(handler);
        upload.setId("import-upload");
        upload.setMaxFiles(1);
        upload.setAcceptedFileTypes(".tar", ".tar.gz", ".tgz", "application/x-tar", "application/gzip");
        upload.setDropLabel(new Span("Drop a root filesystem tarball here"));

        add(hosts, repo, tag, upload, uploadBar, uploadText, transfers);
        Button close = new Button("Close", click -> close());
        close.setId("import-close");
        getFooter().add(close);
    }

    /** The whole tarball is on the console (called under the session lock): stream it to each chosen host. */
    private void uploaded(UploadMetadata metadata, File file) throws IOException {
        uploadBar.setValue(1);
        uploadText.setText("Uploaded " + metadata.fileName() + " (" + ImagesView.size(file.length()) + ")");
        List<FleetImage.HostRef> targets = hosts.chosen();
        if (targets.isEmpty()) {
            Files.deleteIfExists(file.toPath());
            Notifications.error("Choose at least one host, then upload the tarball again");
            upload.clearFileList();
            return;
        }
        Path tarball = Files.createTempFile("hawser-import-", ".tar");
        Files.move(file.toPath(), tarball, StandardCopyOption.REPLACE_EXISTING);
        String repository = repo.getValue();
        String tagName = tag.getValue();
        UI ui = UI.getCurrent();
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        long size = Files.size(tarball);
        List<Transfer> bars = targets.stream().map(h -> new Transfer(h, size)).toList();
        bars.forEach(b -> transfers.add(b.row));
        Thread worker = new Thread(() -> {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(user);
            SecurityContextHolder.setContext(context);
            try {
                for (Transfer t : bars) {
                    t.run(ui, tarball, size, repository, tagName);
                }
            } finally {
                SecurityContextHolder.clearContext();
                try {
                    Files.deleteIfExists(tarball);
                } catch (IOException e) {
                    log.warn("could not delete the uploaded tarball {}: {}", tarball, e.getMessage());
                }
            }
        }, "image-import");
        worker.setDaemon(true);
        worker.start();
    }

    /** One host's transfer: a label and a bar of the bytes sent. */
    private final class Transfer {
        final FleetImage.HostRef host;
        final ProgressBar bar = new ProgressBar();
        final Span text = new Span();
        final Div row = new Div();

        Transfer(FleetImage.HostRef host, long size) {
            this.host = host;
            bar.addClassName("transfer-progress");
            row.addClassName("transfer");
            text.addClassName("transfer-text");
            text.setText(host.name() + ": waiting");
            row.add(text, bar);
        }

        void run(UI ui, Path tarball, long size, String repository, String tagName) {
            AtomicLong sent = new AtomicLong();
            long[] lastPush = {0};
            push(ui, () -> text.setText(host.name() + ": sending…"));
            try (InputStream in = Files.newInputStream(tarball)) {
                ImportResult result = images.importTarball(host.id(), in, size, repository, tagName, n -> {
                    long now = System.nanoTime();
                    long done = sent.addAndGet(n);
                    if (now - lastPush[0] >= PUSH_INTERVAL_NANOS) {
                        lastPush[0] = now;
                        push(ui, () -> {
                            bar.setValue(size > 0 ? Math.min(1.0, (double) done / size) : 0);
                            text.setText(host.name() + ": sent " + ImagesView.size(done) + " of " + ImagesView.size(size));
                        });
                    }
                });
                push(ui, () -> {
                    bar.setValue(1);
                    text.setText(host.name() + ": imported " + shortId(result.imageId())
                            + (result.repoTag() == null ? "" : " as " + result.repoTag()));
                    Notifications.ok("Imported " + (result.repoTag() == null ? shortId(result.imageId()) : result.repoTag())
                            + " on " + host.name());
                });
            } catch (IOException | RuntimeException e) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                push(ui, () -> {
                    text.setText(host.name() + ": failed: " + message);
                    bar.addThemeName("error");
                    Notifications.error(host.name() + ": " + message);
                });
            }
        }
    }

    private static String shortId(String id) {
        return id.startsWith("sha256:") && id.length() > 19 ? id.substring(7, 19) : id;
    }

    private static void push(UI ui, Runnable change) {
        try {
            ui.access(change::run);
        } catch (UIDetachedException gone) {
            // the user left; the import goes on and the grid of whoever looks shows its result
        }
    }
}
