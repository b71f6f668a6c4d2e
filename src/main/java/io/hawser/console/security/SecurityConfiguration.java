package io.hawser.console.security;

import com.vaadin.flow.spring.security.VaadinWebSecurity;
import io.hawser.console.audit.AuditLog;
import io.hawser.console.security.ui.LoginView;
import io.hawser.console.users.ApiTokens;
import io.hawser.console.users.SecondFactor;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Deny by default. Two filter chains: the actuator (HTTP basic, stateless, for scrapers and scripts; health public,
 * the rest admin-only) and everything else (Vaadin views behind the sign-in form). Both go through the same
 * throttled authentication. Views are also guarded per route, and services check roles again.
 */
@Configuration
@EnableWebSecurity
@EnableMethodSecurity
class SecurityConfiguration extends VaadinWebSecurity {

    /** Vaadin's client needs inline styles and eval; everything else comes from this origin only. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            + "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private final AuthenticationManager authenticationManager;
    private final ApiTokens apiTokens;
    private final AuditLog audit;

    private final SecondFactor secondFactor;

    SecurityConfiguration(ConsoleUserDetailsService userDetails, LoginThrottle throttle, ApplicationEventPublisher events,
                          ApiTokens apiTokens, AuditLog audit, SecondFactor secondFactor) {
        this.apiTokens = apiTokens;
        this.secondFactor = secondFactor;
        this.audit = audit;
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(userDetails);
        passwords.setPasswordEncoder(passwordEncoder());
        ProviderManager manager = new ProviderManager(new ThrottledAuthenticationProvider(passwords, throttle));
        // Success and failure events feed the audit log (SignInAudit).
        DefaultAuthenticationEventPublisher publisher = new DefaultAuthenticationEventPublisher(events);
        publisher.setDefaultAuthenticationFailureEvent(AuthenticationFailureBadCredentialsEvent.class); // throttling too
        manager.setAuthenticationEventPublisher(publisher);
        this.authenticationManager = manager;
    }

    @Bean
    static PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder(12);
    }

    @Bean
    AuthenticationManager authenticationManager() {
        return authenticationManager;
    }

    @Bean
    @Order(1)
    SecurityFilterChain actuatorChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/actuator/**")
                .authenticationManager(authenticationManager)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().hasRole("ADMIN"))
                .httpBasic(Customizer.withDefaults())
                .addFilterAfter(new BasicWithoutSecondFactor(secondFactor), BasicAuthenticationFilter.class)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable()); // stateless and no cookies: nothing for CSRF to ride on
        headers(http);
        return http.build();
    }

    /**
     * Agents: {@code /api/agent/enroll} is authorised by the join token in its body, {@code /agent-link} by the host
     * credential checked during the WebSocket handshake (io.hawser.console.link). Neither uses cookies or sessions,
     * so CSRF protection has nothing to protect there.
     */
    @Bean
    @Order(2)
    SecurityFilterChain agentChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/agent/enroll", "/agent-link")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable());
        headers(http);
        return http.build();
    }

    /**
     * The REST API for scripts ({@code /api/**}): an API token ({@code Authorization: Bearer}, {@link BearerTokenFilter})
     * or HTTP basic auth on every request, no session, no cookies (so no CSRF). What a caller may do is decided in the service layer (io.hawser.console.access); here only who they are.
     * Errors answer as dockerd does, {@code {"message": ...}}.
     */
    @Bean
    @Order(3)
    SecurityFilterChain apiChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/**")
                .authenticationManager(authenticationManager)
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .addFilterBefore(new BearerTokenFilter(apiTokens, audit), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(ApiAuthenticationEntryPoint.INSTANCE))
                .addFilterAfter(new BasicWithoutSecondFactor(secondFactor), BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(ApiAuthenticationEntryPoint.INSTANCE))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable());
        headers(http);
        return http.build();
    }

    @Override
    protected void configure(HttpSecurity http) throws Exception {
        http.authenticationManager(authenticationManager);
        // /error: Tomcat dispatches a 401 or 403 there; guarding it would turn every such answer into a login redirect.
        http.authorizeHttpRequests(auth -> auth.requestMatchers("/hawser/**", "/error").permitAll());
        headers(http);
        super.configure(http);
        setLoginView(http, LoginView.class, "/login");
        http.formLogin(form -> form.failureHandler(new SignInFailureHandler()));
        // The second sign-in step for accounts with a second factor (SecondFactorFilter, SecondFactorController).
        http.addFilterAfter(new SecondFactorFilter(secondFactor), AuthorizationFilter.class);
    }

    private static void headers(HttpSecurity http) throws Exception {
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .frameOptions(frame -> frame.deny())
                .permissionsPolicyHeader(p -> p.policy("camera=(), microphone=(), geolocation=(), payment=()")));
    }
}
