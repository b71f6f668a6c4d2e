package io.hawser.agent.container;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.network.PortRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Create-time checks of a HostConfig: what the agent cannot do yet is refused with a clear 400 (published
 * ports come with issue 4), the log options and restart policy are checked with dockerd's messages.
 */
final class HostConfigCheck {

    /** json-file's max-size and max-file, parsed. */
    record LogRotation(long maxSize, int maxFile) {}

    private HostConfigCheck() {}

    /** Throws 400 for what is refused; returns the warnings create answers with. */
    static List<String> check(HostConfig hc, ContainerConfig config) {
        PortRequests.validate(hc.portBindings()); // -p: published by the agent's proxies (network package)
        refuseIfSet("VolumesFrom", hc.volumesFrom(), "--volumes-from is not supported yet");
        refuseIfSet("CapAdd", hc.capAdd(), "--cap-add is not supported");
        refuseIfSet("CapDrop", hc.capDrop(), "--cap-drop is not supported");
        refuseIfSet("Devices", hc.devices(), "--device is not supported");
        if (hc.privileged()) {
            throw AgentException.invalidArgument("privileged containers are not supported by this engine");
        }
        // Binds, Mounts, Tmpfs, ReadonlyRootfs and Volumes: supported, checked by MountSpecs
        switch (hc.networkMode()) {
            case "default", "bridge", "none", "host" -> { }
            default -> throw AgentException.notFound("network " + hc.networkMode() + " not found");
        }
        hc.restartPolicy().validate();
        if (hc.autoRemove() && !hc.restartPolicy().isNone()) {
            throw AgentException.invalidArgument("can't create 'AutoRemove' container with restart policy");
        }
        logRotation(hc.logConfig());
        List<String> warnings = new ArrayList<>();
        if (hc.pidsLimit() != null && hc.pidsLimit() < 0 && hc.pidsLimit() != -1) {
            warnings.add("Invalid PidsLimit, defaulting to unlimited");
        }
        return warnings;
    }

    private static void refuseIfSet(String field, JsonNode value, String message) {
        if (value != null && !value.isNull() && !value.isEmpty()) {
            throw AgentException.invalidArgument(message + " (HostConfig." + field + ")");
        }
    }

    /** json-file's options (moby daemon/logger/jsonfilelog ValidateLogOpt and New). */
    static LogRotation logRotation(HostConfig.LogConfig lc) {
        if (!lc.type().equals("json-file")) {
            throw AgentException.invalidArgument("logger: no log driver named '" + lc.type() + "' is registered");
        }
        long maxSize = 0;
        int maxFile = 1;
        for (Map.Entry<String, String> opt : lc.config().entrySet()) {
            switch (opt.getKey()) {
                case "max-size" -> maxSize = ramInBytes(opt.getValue());
                case "max-file" -> {
                    try {
                        maxFile = Integer.parseInt(opt.getValue());
                    } catch (NumberFormatException e) {
                        throw AgentException.invalidArgument("strconv.Atoi: parsing \"" + opt.getValue() + "\": invalid syntax");
                    }
                    if (maxFile < 1) {
                        throw AgentException.invalidArgument("max-file cannot be less than 1");
                    }
                }
                case "labels", "labels-regex", "env", "env-regex", "tag", "compress" -> { }
                default -> throw AgentException.invalidArgument("unknown log opt '" + opt.getKey() + "' for json-file log driver");
            }
        }
        if (maxFile > 1 && maxSize <= 0) {
            throw AgentException.invalidArgument("max-file cannot be set without max-size");
        }
        return new LogRotation(maxSize, maxFile);
    }

    /** go-units RAMInBytes: a number with an optional k/m/g/t/p suffix (binary multiples), "b" or "ib" allowed. */
    static long ramInBytes(String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgtp])?(i?b)?$").matcher(s);
        if (!m.matches()) {
            throw AgentException.invalidArgument("invalid size: '" + value + "'");
        }
        double n = Double.parseDouble(m.group(1));
        int power = m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2)) + 1;
        return (long) (n * Math.pow(1024, power));
    }
}
