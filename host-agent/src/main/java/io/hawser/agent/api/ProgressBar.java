package io.hawser.agent.api;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The {@code progress} text of a JSON progress line, as dockerd's jsonmessage writes it:
 * {@code [=====>      ]  1.049MB/1.982MB}, or only the amount when the total is unknown.
 */
final class ProgressBar {

    private static final int WIDTH = 50;
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private ProgressBar() {}

    static String format(long current, long total) {
        if (total <= 0) {
            return String.format("%8s", humanSize(current));
        }
        int bars = (int) Math.min(WIDTH, WIDTH * current / total);
        String box = "[" + "=".repeat(bars) + (bars < WIDTH ? ">" + " ".repeat(WIDTH - bars - 1) : "") + "] ";
        return box + String.format("%8s/%s", humanSize(current), humanSize(total));
    }

    /** go-units HumanSize: decimal units, 4 significant digits, no trailing zeros ("1.982MB", "512B"). */
    static String humanSize(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros();
        return rounded.toPlainString() + UNITS[unit];
    }
}
