package io.hawser.console.audit;

import io.hawser.console.access.Access;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reading the audit log: search, paging and CSV export, for global administrators only. */
@Service
public class AuditTrail {

    /** An export holds at most this many entries (the newest matching); narrow the search for older ones. */
    public static final int MAX_EXPORT = 100_000;

    private final JdbcClient jdbc;
    private final Access access;
    private final AuditLog audit;

    AuditTrail(JdbcClient jdbc, Access access, AuditLog audit) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
    }

    /** Entries matching {@code search}, newest first. */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<AuditEntry> search(AuditSearch search, int offset, int limit) {
        access.requireGlobalAdmin();
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit are not negative");
        }
        Map<String, Object> params = new HashMap<>();
        String where = where(search, params);
        return jdbc.sql("SELECT id, at, actor, address, action, target, details, result FROM audit_log WHERE " + where
                        + " ORDER BY id DESC OFFSET :offset LIMIT :limit")
                .params(params).param("offset", offset).param("limit", limit)
                .query((rs, n) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                        rs.getString("address"), rs.getString("action"), rs.getString("target"), rs.getString("details"),
                        rs.getString("result")))
                .list();
    }

    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public int count(AuditSearch search) {
        access.requireGlobalAdmin();
        Map<String, Object> params = new HashMap<>();
        String where = where(search, params);
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE " + where).params(params).query(Integer.class).single();
    }

    /** Writes the matching entries (newest first, at most {@link #MAX_EXPORT}) as CSV; the export is audited. */
    @PreAuthorize("isAuthenticated()")
    public void exportCsv(AuditSearch search, Writer out) {
        access.requireGlobalAdmin();
        List<AuditEntry> entries = search(search, 0, MAX_EXPORT);
        audit.recordAlone(access.caller().username(), null, "audit.export", null, describe(search) + " rows=" + entries.size(),
                AuditLog.Result.OK);
        try {
            AuditCsv.header(out);
            for (AuditEntry e : entries) {
                AuditCsv.row(out, e);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String describe(AuditSearch s) {
        List<String> parts = new ArrayList<>();
        if (present(s.actor())) {
            parts.add("actor=" + s.actor());
        }
        if (present(s.action())) {
            parts.add("action=" + s.action());
        }
        if (present(s.target())) {
            parts.add("target=" + s.target());
        }
        if (s.result() != null) {
            parts.add("result=" + s.result().wire());
        }
        if (s.from() != null) {
            parts.add("from=" + s.from());
        }
        if (s.to() != null) {
            parts.add("to=" + s.to());
        }
        return parts.isEmpty() ? "all" : String.join(" ", parts);
    }

    private static String where(AuditSearch s, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        conditions.add("true");
        if (present(s.actor())) {
            conditions.add("actor ILIKE :actor ESCAPE '\\'");
            params.put("actor", like(s.actor()));
        }
        if (present(s.action())) {
            conditions.add("action ILIKE :action ESCAPE '\\'");
            params.put("action", like(s.action()));
        }
        if (present(s.target())) {
            conditions.add("(target ILIKE :target ESCAPE '\\' OR details ILIKE :target ESCAPE '\\')");
            params.put("target", like(s.target()));
        }
        if (s.result() != null) {
            conditions.add("result = :result");
            params.put("result", s.result().wire());
        }
        if (s.from() != null) {
            conditions.add("at >= :from");
            params.put("from", utc(s.from()));
        }
        if (s.to() != null) {
            conditions.add("at < :to");
            params.put("to", utc(s.to()));
        }
        return String.join(" AND ", conditions);
    }

    private static Object utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    /** A LIKE pattern matching {@code text} anywhere, its own wildcards taken literally. */
    static String like(String text) {
        return "%" + text.strip().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
