package io.hawser.console.security;

import io.hawser.console.users.Role;
import io.hawser.console.users.UserAccount;
import io.hawser.console.users.UserService;
import io.hawser.console.users.Username;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Loads console users from PostgreSQL for Spring Security. */
@Component
class ConsoleUserDetailsService implements UserDetailsService {

    private final UserService users;

    ConsoleUserDetailsService(UserService users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String typed) {
        Username username;
        try {
            username = Username.parse(typed);
        } catch (IllegalArgumentException e) {
            throw new UsernameNotFoundException("no such user");
        }
        UserAccount account = users.find(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
        return User.withUsername(account.username().value())
                .password(account.passwordHash())
                .disabled(!account.enabled())
                .authorities(account.roles().stream().map(Role::authority).map(SimpleGrantedAuthority::new).toList())
                .build();
    }
}
