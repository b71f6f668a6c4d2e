package io.hawser.agent.storage;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * PAX extended header records: {@code "%d %s=%s\n"}, where the decimal length counts the whole record.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_03">pax Extended Header</a>
 */
final class PaxRecords {

    private PaxRecords() {}

    static Map<String, String> parse(byte[] data) {
        Map<String, String> records = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw TarReader.invalid("malformed PAX record length at offset " + pos);
            }
            int end = pos + length;
            if (length <= 0 || space >= end || end > data.length || data[end - 1] != '\n') {
                throw TarReader.invalid("malformed PAX record at offset " + pos);
            }
            String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw TarReader.invalid("malformed PAX record '" + record + "'");
            }
            records.put(record.substring(0, eq), record.substring(eq + 1));
            pos = end;
        }
        return records;
    }
}
