package io.hawser.console.hosts;

import io.hawser.console.audit.AuditLog;
import io.hawser.console.security.LoginThrottle;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/agent/enroll} {@code {"token", "hostname", "agentVersion"}} → {@code {"hostId", "credential"}}.
 * The only unauthenticated write: failures are throttled per client address like sign-ins (their own counter, under
 * a key no user name can take) and every attempt is audited.
 */
@RestController
class EnrollController {

    /** What an agent sends. */
    record EnrollRequest(String token, String hostname, String agentVersion) {}

    private final HostService hosts;
    private final LoginThrottle throttle;
    private final AuditLog audit;

    EnrollController(HostService hosts, LoginThrottle throttle, AuditLog audit) {
        this.hosts = hosts;
        this.throttle = throttle;
        this.audit = audit;
    }

    @PostMapping(path = "/api/agent/enroll", consumes = "application/json", produces = "application/json")
    ResponseEntity<Map<String, Object>> enroll(@RequestBody EnrollRequest request, HttpServletRequest http) {
        String address = http.getRemoteAddr();
        // '@' cannot occur in a user name, so these keys never meet a sign-in's.
        String key = "enroll@" + address;
        String actor = "agent:" + (request.hostname() == null ? "?" : request.hostname());
        var locked = throttle.lockedUntil(key, key);
        if (locked.isPresent()) {
            audit.recordAlone(actor, address, "host.enroll", null, "throttled", AuditLog.Result.DENIED);
            return ResponseEntity.status(429).body(Map.of("message", "too many failed enrollments; try again after " + locked.get()));
        }
        try {
            Enrollment enrollment = hosts.enroll(request.token(), request.hostname(), request.agentVersion());
            throttle.recordSuccess(key, key);
            audit.recordAlone(actor, address, "host.enroll", "host:" + enrollment.hostId(),
                    "name=" + enrollment.name() + " agentVersion=" + request.agentVersion(), AuditLog.Result.OK);
            return ResponseEntity.ok(Map.of("hostId", enrollment.hostId().toString(), "name", enrollment.name(),
                    "credential", enrollment.credential()));
        } catch (EnrollmentRefusedException e) {
            throttle.recordFailure(key, key);
            audit.recordAlone(actor, address, "host.enroll", null, e.getMessage(), AuditLog.Result.DENIED);
            return ResponseEntity.status(e.status()).body(Map.of("message", e.getMessage()));
        }
    }
}
