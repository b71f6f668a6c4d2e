package io.hawser.console.users;

import io.hawser.console.audit.AuditedAs;
import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request authenticated with an API token: its name is the token's user's (so {@link io.hawser.console.access.Access}
 * decides for that user), its authorities the user's, plus a ceiling when the token is narrowed (and then without
 * ROLE_ADMIN). The audit log names it {@code user (token name)}.
 */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken implements AuditedAs {

    private final String username;
    private final long tokenId;
    private final String tokenName;

    ApiTokenAuthentication(String username, long tokenId, String tokenName, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.username = username;
        this.tokenId = tokenId;
        this.tokenName = tokenName;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null; // the secret is not kept
    }

    @Override
    public Object getPrincipal() {
        return username;
    }

    @Override
    public String getName() {
        return username;
    }

    public long tokenId() {
        return tokenId;
    }

    public String tokenName() {
        return tokenName;
    }

    @Override
    public String auditActor() {
        return username + " (token " + tokenName + ")";
    }
}
