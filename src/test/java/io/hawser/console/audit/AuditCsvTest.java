package io.hawser.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditCsvTest {

    @Test
    void cell_quotesWhatRfc4180Requires() {
        assertThat(AuditCsv.cell("plain")).isEqualTo("plain");
        assertThat(AuditCsv.cell(null)).isEmpty();
        assertThat(AuditCsv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditCsv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(AuditCsv.cell("cr\rlf")).isEqualTo("\"cr\rlf\"");
    }

    @Test
    void cell_neutralisesSpreadsheetFormulas() {
        assertThat(AuditCsv.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(AuditCsv.cell("+1")).isEqualTo("'+1");
        assertThat(AuditCsv.cell("-1")).isEqualTo("'-1");
        assertThat(AuditCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(AuditCsv.cell("\tx")).isEqualTo("'\tx");
        assertThat(AuditCsv.cell("=A1,B1")).isEqualTo("\"'=A1,B1\"");
        assertThat(AuditCsv.cell("a=b")).isEqualTo("a=b");
    }

    @Test
    void rfc4180Reader_roundTripsACraftedValue() {
        String crafted = AuditLogIT.CRAFTED;
        assertThat(Rfc4180.parse(AuditCsv.cell(crafted) + "," + AuditCsv.cell("x") + "\r\n"))
                .containsExactly(java.util.List.of(crafted, "x"));
    }
}
