package io.hawser.console.hosts;

import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The fleet's hosts. An admin sees every host; anyone else sees the hosts of the teams they belong to. */
@Service
public class HostService {

    private final JdbcClient jdbc;

    HostService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<Host> visibleHosts() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        boolean admin = who.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        return jdbc.sql("""
                        SELECT h.id, h.name, t.name AS team, h.status, h.agent_version, h.last_seen_at
                        FROM hosts h LEFT JOIN teams t ON t.id = h.team_id
                        WHERE :admin OR h.team_id IN (
                            SELECT m.team_id FROM team_members m JOIN users u ON u.id = m.user_id
                            WHERE u.username = :username)
                        ORDER BY h.name""")
                .param("admin", admin)
                .param("username", who.getName())
                .query((rs, n) -> {
                    Timestamp lastSeen = rs.getTimestamp("last_seen_at");
                    return new Host(rs.getObject("id", java.util.UUID.class), rs.getString("name"), rs.getString("team"),
                            HostStatus.valueOf(rs.getString("status")), rs.getString("agent_version"),
                            lastSeen == null ? null : lastSeen.toInstant());
                })
                .list();
    }
}
