package io.hawser.agent.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One mount of a container (moby volume/mounts.MountPoint), kept in {@code <container-dir>/mounts.json} from
 * create on. The first seven fields are what inspect's {@code Mounts} shows, with dockerd's values.
 *
 * @param type         bind, volume or tmpfs
 * @param name         the volume's name; "" for bind and tmpfs
 * @param source       the host path as given (bind), the volume's {@code _data}, "" for tmpfs
 * @param mode         the mode as dockerd shows it: the -v mode string ("ro", ...), "z" for a named volume
 * @param named        the user named the volume: {@code docker rm -v} keeps it
 * @param copyData     an empty volume first gets the image's content at the destination (not with nocopy)
 * @param createSource -v creates a missing host directory; --mount refuses one at create
 * @param options      for the shim: ro, nosuid, nodev, noexec, tmpfs size= and mode= ... (see mounts.c)
 * @param listed       shown in inspect's Mounts ({@code --tmpfs} is not, as in dockerd)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountPoint(
        @JsonProperty("Type") String type,
        @JsonProperty("Name") String name,
        @JsonProperty("Source") String source,
        @JsonProperty("Destination") String destination,
        @JsonProperty("Mode") String mode,
        @JsonProperty("RW") boolean rw,
        @JsonProperty("Propagation") String propagation,
        @JsonProperty("Named") boolean named,
        @JsonProperty("CopyData") boolean copyData,
        @JsonProperty("CreateSource") boolean createSource,
        @JsonProperty("Options") List<String> options,
        @JsonProperty("Listed") boolean listed) {

    public MountPoint {
        name = name == null ? "" : name;
        source = source == null ? "" : source;
        mode = mode == null ? "" : mode;
        propagation = propagation == null ? "" : propagation;
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** The container's mounts as recorded at create (none for one created before volumes existed). */
    public static List<MountPoint> of(Container c) {
        return ContainerMounts.load(c.dir());
    }

    public boolean isVolume() {
        return type.equals("volume");
    }

    MountPoint withVolume(String volumeName, String dataDir) {
        return new MountPoint(type, volumeName, dataDir, destination, mode, rw, propagation, named, copyData, createSource,
                options, listed);
    }
}
