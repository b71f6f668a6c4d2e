package io.hawser.console.users;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    @Test
    void check_refusesShortLongTheUserNameAndCommonPasswords() {
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "elevenchars")).hasMessageContaining("at least 12");
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "x".repeat(129))).hasMessageContaining("at most 128");
        assertThatThrownBy(() -> PasswordPolicy.check("alice.longname", "Alice.LongName")).hasMessageContaining("user name");
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "Password1234")).hasMessageContaining("too common");
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "qwerty123456")).hasMessageContaining("too common");
        assertThatThrownBy(() -> PasswordPolicy.check("alice", "zzzzzzzzzzzzzz")).hasMessageContaining("too common");
    }

    @Test
    void check_acceptsALongUncommonPassword_withoutCompositionRules() {
        assertThatCode(() -> PasswordPolicy.check("alice", "correct horse battery")).doesNotThrowAnyException();
        assertThatCode(() -> PasswordPolicy.check("alice", "alice-in-wonderland")).doesNotThrowAnyException();
    }
}
