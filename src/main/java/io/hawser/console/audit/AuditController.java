package io.hawser.console.audit;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log over REST, for global administrators: {@code GET /api/audit} (JSON, newest first, paged) and
 * {@code GET /api/audit.csv} (the export). Parameters: actor, action, target (also searches details), result
 * (ok/denied/failed), from, to (ISO-8601 instants), offset, limit.
 */
@RestController
class AuditController {

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping(path = "/api/audit", produces = "application/json")
    List<AuditEntry> search(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                            @RequestParam(required = false) String target, @RequestParam(required = false) String result,
                            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
                            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        if (limit > 1000) {
            throw new IllegalArgumentException("limit is at most 1000");
        }
        return trail.search(search(actor, action, target, result, from, to), offset, limit);
    }

    @GetMapping(path = "/api/audit.csv")
    void csv(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
             @RequestParam(required = false) String target, @RequestParam(required = false) String result,
             @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
             HttpServletResponse response) throws IOException {
        AuditSearch search = search(actor, action, target, result, from, to);
        StringWriter csv = new StringWriter(); // written whole first, so that a refusal still answers as JSON
        trail.exportCsv(search, csv);
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"hawser-audit.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        out.write(csv.toString());
        out.flush();
    }

    static AuditSearch search(String actor, String action, String target, String result, Instant from, Instant to) {
        AuditLog.Result r = null;
        if (result != null && !result.isBlank()) {
            try {
                r = AuditLog.Result.valueOf(result.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("result is one of ok, denied, failed");
            }
        }
        return new AuditSearch(actor, action, target, r, from, to);
    }
}
