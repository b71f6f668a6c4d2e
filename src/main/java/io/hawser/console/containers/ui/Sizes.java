package io.hawser.console.containers.ui;

import java.util.Locale;

/** Byte counts as people read them (binary units, as the docker CLI's stats show memory). */
final class Sizes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Sizes() {
    }

    static String bytes(Long bytes) {
        if (bytes == null) {
            return "";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** "12.0 MiB / 1.0 GiB", or only the usage when there is no limit. */
    static String memory(Long usage, Long limit) {
        if (usage == null) {
            return "";
        }
        return limit == null || limit <= 0 ? bytes(usage) : bytes(usage) + " / " + bytes(limit);
    }
}
