package io.hawser.console;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole console on a random port over a real (embedded) PostgreSQL. Every test class carrying exactly this
 * annotation shares one Spring context, so the database and server start once per test run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@AutoConfigureObservability // Boot turns metrics export off in tests; /actuator/prometheus is under test here
@ActiveProfiles("it")
public @interface IntegrationTest {

    /** The admin password the test profile sets (through hawser.admin-password, as HAWSER_ADMIN_PASSWORD would). */
    String ADMIN_PASSWORD = "it-admin-password-0123";
}
