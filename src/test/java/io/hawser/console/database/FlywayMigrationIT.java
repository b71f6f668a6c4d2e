package io.hawser.console.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

class FlywayMigrationIT {

    @Test
    void migratesAnEmptyDatabase_andIsUpToDateAfterwards(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            JdbcClient jdbc = JdbcClient.create(dataSource);
            assertThat(jdbc.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
                    .query(Long.class).single()).isZero();

            Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                    .failOnMissingLocations(true).load();
            MigrateResult first = flyway.migrate();

            assertThat(first.success).isTrue();
            assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(2);
            assertThat(jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                    .query(String.class).list())
                    .contains("users", "roles", "user_roles", "teams", "team_members", "login_throttle", "audit_log", "hosts", "host_teams",
                            "permissions", "role_permissions");
            assertThat(jdbc.sql("SELECT name FROM roles ORDER BY name").query(String.class).list())
                    .containsExactly("ADMIN", "OPERATOR", "TEAM_ADMIN", "VIEWER");
            assertThat(flyway.migrate().migrationsExecuted).as("a second run has nothing to do").isZero();
        }
    }

    @Test
    void schemaRefusesAnInvalidUserName(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            JdbcClient jdbc = JdbcClient.create(dataSource);
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            jdbc.sql("INSERT INTO users (username, password_hash) VALUES ('../Admin', 'x')").update())
                    .hasMessageContaining("users_username_check");
        }
    }
}
