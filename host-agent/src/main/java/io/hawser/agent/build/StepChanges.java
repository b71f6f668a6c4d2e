package io.hawser.agent.build;

import io.hawser.agent.storage.TarOutput;
import io.hawser.agent.storage.TreeArchiver;
import io.hawser.agent.sys.FileSyscalls;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * What a RUN or COPY step changed: an overlay upper directory, archived as the step's layer (overlay whiteouts
 * become {@code .wh.} entries), and what to release once the layer is stored.
 */
interface StepChanges extends AutoCloseable {

    Path upper();

    /** Paths of the upper directory that are the runtime's, not the step's (a RUN container's init files). */
    Predicate<String> exclude();

    @Override
    void close();

    default io.hawser.agent.image.ImageStore.LayerSource layer(FileSyscalls fs) {
        return out -> {
            TarOutput tar = new TarOutput(out);
            new TreeArchiver(fs, TreeArchiver.Mode.LAYER, exclude()).contents(upper(), "", tar);
            tar.finish();
        };
    }
}
