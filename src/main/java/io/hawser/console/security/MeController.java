package io.hawser.console.security;

import io.hawser.console.access.Access;
import io.hawser.console.access.Caller;
import io.hawser.console.access.TeamRole;
import io.hawser.console.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/me}: who the REST API takes the caller for (user, token, administrator, role ceiling). */
@RestController
class MeController {

    private final Access access;

    MeController(Access access) {
        this.access = access;
    }

    @GetMapping(path = "/api/me", produces = "application/json")
    Map<String, Object> me() {
        Caller caller = access.caller();
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", caller.username());
        out.put("actor", AuditLog.actor(who));
        out.put("admin", caller.unrestrictedAdmin());
        out.put("ceiling", caller.ceiling().map(TeamRole::name).orElse(null));
        return out;
    }
}
