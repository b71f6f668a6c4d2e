package io.hawser.console.audit;

import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;

/**
 * The audit log as CSV (RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled, lines end in
 * CRLF). A value that a spreadsheet would take for a formula (starting with {@code = + - @}, or a tab or CR) gets a
 * leading {@code '} so it opens as text (OWASP "CSV injection"): a crafted container name cannot run anything in the
 * reader's spreadsheet, nor, being quoted, split a record.
 */
public final class AuditCsv {

    static final String HEADER = "id,at,actor,address,action,target,details,result";

    private AuditCsv() {
    }

    public static void header(Writer out) throws IOException {
        out.write(HEADER);
        out.write("\r\n");
    }

    public static void row(Writer out, AuditEntry e) throws IOException {
        String[] cells = {Long.toString(e.id()), DateTimeFormatter.ISO_INSTANT.format(e.at()), e.actor(), e.address(),
                e.action(), e.target(), e.details(), e.result()};
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells[i]));
        }
        out.write("\r\n");
    }

    /** One field, neutralised and quoted as needed. */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = value;
        char first = v.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
