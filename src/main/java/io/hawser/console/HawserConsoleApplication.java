package io.hawser.console;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.component.page.Push;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Hawser console: a Spring Boot application serving the Vaadin UI, the actuator and (later) the agent link. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
// Server push (Atmosphere at /VAADIN/push, WebSocket with long-polling fallback) keeps the fleet's views live.
@Push
@Meta(name = "description", content = "Hawser: containers across a fleet of Linux hosts")
public class HawserConsoleApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(HawserConsoleApplication.class, args);
    }
}
