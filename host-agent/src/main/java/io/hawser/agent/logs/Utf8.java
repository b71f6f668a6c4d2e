package io.hawser.agent.logs;

/** UTF-8 validation by the Unicode standard's table 3-7 (no overlongs, no surrogates, nothing above U+10FFFF). */
final class Utf8 {

    private Utf8() {}

    /** The length (2 to 4) of the valid multi-byte sequence at {@code i}, or 0 when it is not one. */
    static int validSequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        int width;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            width = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            width = 3;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            width = 4;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else {
            return 0;
        }
        if (i + width > end) {
            return 0;
        }
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < width; k++) {
            int cont = b[i + k] & 0xff;
            if (cont < 0x80 || cont > 0xbf) {
                return 0;
            }
        }
        return width;
    }
}
