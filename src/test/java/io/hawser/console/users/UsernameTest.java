package io.hawser.console.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UsernameTest {

    @Test
    void parse_foldsCaseAndTrims() {
        assertThat(Username.parse("  Alice.Ops ").value()).isEqualTo("alice.ops");
    }

    @Test
    void rejectsEmptyTooLongAndHostileNames() {
        assertThatThrownBy(() -> new Username("")).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> new Username("a".repeat(65))).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> new Username("../etc")).hasMessageContaining("starts with a letter or digit");
        assertThatThrownBy(() -> new Username("bob smith")).hasMessageContaining("lower-case letters");
        assertThatThrownBy(() -> new Username("Bob")).hasMessageContaining("lower-case letters");
    }

    @Test
    void checkPassword_needsTwelveToHundredTwentyEightCharacters() {
        assertThatThrownBy(() -> UserService.checkPassword("elevenchars")).hasMessageContaining("at least 12");
        assertThatThrownBy(() -> UserService.checkPassword("x".repeat(129))).hasMessageContaining("at most 128");
        UserService.checkPassword("twelve-chars");
    }
}
