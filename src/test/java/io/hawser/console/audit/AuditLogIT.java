package io.hawser.console.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.hawser.console.IntegrationTest;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;

/** The audit log: append-only, addresses filled in, search, and crafted values that stay one entry of text. */
@IntegrationTest
class AuditLogIT {

    static final String CRAFTED = "web\n2026-01-01 admin login ok\r\n<b>bold</b><script>alert(1)</script>,\"quoted\"";

    @Autowired
    AuditLog audit;
    @Autowired
    AuditTrail trail;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theApplicationCannotChangeOrDeleteEntries() {
        String actor = "auditit-" + UUID.randomUUID();
        audit.recordAlone(actor, "192.0.2.7", "test.entry", "t", "d", AuditLog.Result.OK);
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_log SET result = 'failed' WHERE actor = ?").param(actor).update())
                .rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_log WHERE actor = ?").param(actor).update())
                .rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit_log").update()).rootCause().hasMessageContaining("append-only");
        assertThat(jdbc.sql("SELECT result FROM audit_log WHERE actor = ?").param(actor).query(String.class).list())
                .containsExactly("ok");
    }

    @Test
    void aRestRequestsEntryCarriesTheClientAddress_andTheCsvExportIsAuditedOnce() throws Exception {
        MockHttpServletResponse csv = mvc.perform(get("/api/audit.csv").param("action", "no-such-action-" + UUID.randomUUID())
                        .with(httpBasic("admin", IntegrationTest.ADMIN_PASSWORD))
                        .with(r -> {
                            r.setRemoteAddr("198.51.100.23");
                            return r;
                        }))
                .andReturn().getResponse();
        assertThat(csv.getStatus()).isEqualTo(200);
        assertThat(csv.getContentType()).startsWith("text/csv");
        assertThat(csv.getContentAsString()).isEqualTo(AuditCsv.HEADER + "\r\n");
        assertThat(jdbc.sql("SELECT actor || ' ' || action || ' ' || result FROM audit_log WHERE address = '198.51.100.23' "
                + "AND action <> 'login' ORDER BY id").query(String.class).list()).containsExactly("admin audit.export ok");
    }

    @Test
    void nonAdministratorsCannotReadIt_overRestEither() throws Exception {
        signIn("auditit-someone");
        assertThatThrownBy(() -> trail.search(AuditSearch.ALL, 0, 10)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> trail.exportCsv(AuditSearch.ALL, new StringWriter())).isInstanceOf(AccessDeniedException.class);
        SecurityContextHolder.clearContext();
        assertThat(mvc.perform(get("/api/audit")).andReturn().getResponse().getStatus()).isEqualTo(401);
    }

    @Test
    void aCraftedNameStaysOneEntryOfText_inTheSearchAndInTheCsv() {
        String actor = "auditit-crafter-" + UUID.randomUUID();
        audit.recordAlone(actor, null, "container.stop", "container:" + CRAFTED, "=HYPERLINK(\"http://evil\")", AuditLog.Result.OK);
        signIn("auditit-admin", "ROLE_ADMIN");

        List<AuditEntry> found = trail.search(AuditSearch.ALL.withActor(actor), 0, 10);
        assertThat(found).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo("container:" + CRAFTED);
            assertThat(e.details()).isEqualTo("=HYPERLINK(\"http://evil\")");
        });
        assertThat(trail.search(AuditSearch.ALL.withTarget("<script>"), 0, 1000)).extracting(AuditEntry::actor).contains(actor);
        assertThat(trail.search(AuditSearch.ALL.withActor(actor).withResult(AuditLog.Result.FAILED), 0, 10)).isEmpty();

        StringWriter out = new StringWriter();
        trail.exportCsv(AuditSearch.ALL.withActor(actor), out);
        List<List<String>> records = Rfc4180.parse(out.toString());
        assertThat(records).hasSize(2);
        assertThat(records.get(0)).containsExactly("id", "at", "actor", "address", "action", "target", "details", "result");
        List<String> row = records.get(1);
        assertThat(row).hasSize(8);
        assertThat(row.get(2)).isEqualTo(actor);
        assertThat(row.get(5)).isEqualTo("container:" + CRAFTED);
        assertThat(row.get(6)).as("a formula is neutralised").isEqualTo("'=HYPERLINK(\"http://evil\")");
        assertThat(row.get(7)).isEqualTo("ok");
    }

    private static void signIn(String name, String... authorities) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                name, null, AuthorityUtils.createAuthorityList(authorities)));
    }
}
