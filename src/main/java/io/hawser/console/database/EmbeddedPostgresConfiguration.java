package io.hawser.console.database;

import com.zaxxer.hikari.HikariDataSource;
import io.hawser.console.HawserProperties;
import io.hawser.console.common.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default: when no {@code spring.datasource.url} (SPRING_DATASOURCE_URL) is set, the console starts a
 * real PostgreSQL of its own, keeping its data in {@code <hawser.data-dir>/postgres} so a restart keeps everything.
 * See docs/decisions/0003-embedded-postgresql.md.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** The embedded server is started through a shell command line, so its path must need no quoting. */
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/+@-]+");

    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(HawserProperties properties) throws IOException {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        if (!SAFE_PATH.matcher(dataDir.toString()).matches()) {
            throw new StartupException("The data directory '" + dataDir + "' has characters the embedded PostgreSQL "
                    + "cannot be started with (it runs through a shell).",
                    "Choose a directory whose path holds only letters, digits and . _ / + @ - (--hawser.data-dir=DIR), "
                    + "or use an external PostgreSQL (SPRING_DATASOURCE_URL).");
        }
        return DataDirectoryLock.acquire(dataDir);
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(HawserProperties properties, DataDirectoryLock owned) throws IOException {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize().resolve("postgres");
        DataDirectoryLock.stopOrphanedPostgres(dataDir, Duration.ofSeconds(60));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        log.info("Embedded PostgreSQL started on 127.0.0.1:{}, data in {}", postgres.getPort(), dataDir);
        return postgres;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("hawser-embedded");
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }
}
