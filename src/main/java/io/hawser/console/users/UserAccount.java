package io.hawser.console.users;

import java.util.Set;

/** A console user as stored; the password hash never leaves the users package except to Spring Security. */
public record UserAccount(long id, Username username, String passwordHash, boolean enabled, Set<Role> roles) {
}
