package io.hawser.console.hosts;

import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The fleet's hosts. An admin sees every host; anyone else sees the hosts owned by the teams they belong to. */
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
                        SELECT h.id, h.name, h.status, h.agent_version, h.last_seen_at,
                               coalesce(array_agg(t.name ORDER BY t.name) FILTER (WHERE t.name IS NOT NULL), '{}') AS teams
                        FROM hosts h
                        LEFT JOIN host_teams ht ON ht.host_id = h.id
                        LEFT JOIN teams t ON t.id = ht.team_id
                        WHERE :admin OR EXISTS (
                            SELECT 1 FROM host_teams mine
                            JOIN team_members m ON m.team_id = mine.team_id
                            JOIN users u ON u.id = m.user_id
                            WHERE mine.host_id = h.id AND u.username = :username)
                        GROUP BY h.id
                        ORDER BY h.name""")
                .param("admin", admin)
                .param("username", who.getName())
                .query((rs, n) -> {
                    Timestamp lastSeen = rs.getTimestamp("last_seen_at");
                    List<String> teams = List.of((String[]) rs.getArray("teams").getArray());
                    return new Host(rs.getObject("id", UUID.class), rs.getString("name"), teams,
                            HostStatus.valueOf(rs.getString("status")), rs.getString("agent_version"),
                            lastSeen == null ? null : lastSeen.toInstant());
                })
                .list();
    }
}
