package io.hawser.console.users;

import io.hawser.console.HawserProperties;
import io.hawser.console.common.StartupException;
import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On first start, with no users at all, creates {@code admin} with the password from {@code HAWSER_ADMIN_PASSWORD}
 * or, without one, a random password printed once. There is no default password.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 20;

    private final UserService users;
    private final HawserProperties properties;
    private final SecureRandom random = new SecureRandom();

    AdminBootstrap(UserService users, HawserProperties properties) {
        this.users = users;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.anyUserExists()) {
            return;
        }
        String given = properties.adminPassword();
        boolean generated = given == null || given.isEmpty();
        String password = generated ? generate() : given;
        if (!generated && (password.length() < UserService.MIN_PASSWORD_LENGTH || password.length() > 128)) {
            throw new StartupException("HAWSER_ADMIN_PASSWORD has " + password.length() + " characters; the admin "
                    + "password needs " + UserService.MIN_PASSWORD_LENGTH + " to 128.",
                    "Set a longer HAWSER_ADMIN_PASSWORD, or unset it to have a random password printed once.");
        }
        if (!generated) {
            try {
                PasswordPolicy.check("admin", password);
            } catch (IllegalArgumentException e) {
                throw new StartupException("HAWSER_ADMIN_PASSWORD is not accepted: " + e.getMessage() + ".",
                        "Choose another HAWSER_ADMIN_PASSWORD, or unset it to have a random password printed once.");
            }
        }
        if (!users.createIfAbsent("system", new Username("admin"), password, Set.of(Role.ADMIN))) {
            return; // another replica created it at the same moment
        }
        if (generated) {
            log.warn("""

                    ================================================================
                      Hawser created the first account. It is shown only this once.
                        user:     admin
                        password: {}
                    ================================================================""", password);
        } else {
            log.info("Hawser created the first account 'admin' with the password from HAWSER_ADMIN_PASSWORD");
        }
    }

    private String generate() {
        StringBuilder password = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
