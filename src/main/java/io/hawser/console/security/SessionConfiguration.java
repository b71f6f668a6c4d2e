package io.hawser.console.security;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Session lifetimes: see {@link SessionAbsoluteTimeout}. */
@Configuration
class SessionConfiguration {

    @Bean
    FilterRegistrationBean<SessionAbsoluteTimeout> sessionAbsoluteTimeout(
            @Value("${hawser.session.absolute-timeout:12h}") Duration absolute) {
        if (absolute.isNegative() || absolute.isZero()) {
            throw new IllegalArgumentException("hawser.session.absolute-timeout must be positive, got " + absolute);
        }
        FilterRegistrationBean<SessionAbsoluteTimeout> registration = new FilterRegistrationBean<>(new SessionAbsoluteTimeout(absolute));
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1); // before Spring Security's chain
        registration.addUrlPatterns("/*");
        return registration;
    }
}
