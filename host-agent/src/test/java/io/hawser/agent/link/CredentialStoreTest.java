package io.hawser.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {

    private static final String BEARER = "0b6b9c1e-7a57-4bd0-9a0e-3f2d3c7e5a11.q0D2F0sK8r1v7H8qg0Y1v0qJ4n8yq3Q0b1YVb5GzF3w";

    @TempDir
    Path dataRoot;

    @Test
    void save_thenLoad_givesTheCredential_in0600Under0700() throws Exception {
        CredentialStore store = new CredentialStore(dataRoot);
        assertThat(store.load()).isEmpty();

        store.save(BEARER);

        assertThat(new CredentialStore(dataRoot).load()).contains(BEARER);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent()))).isEqualTo("rwx------");
        try (var files = Files.list(store.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("credential");
        }
    }

    @Test
    void save_replacesAnOldCredential() throws Exception {
        CredentialStore store = new CredentialStore(dataRoot);
        store.save(BEARER);
        String other = "11111111-2222-3333-4444-555555555555.ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ";
        store.save(other);
        assertThat(store.load()).contains(other);
    }

    @Test
    void load_refusesAFileThatHoldsSomethingElse() throws Exception {
        CredentialStore store = new CredentialStore(dataRoot);
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "not a credential\n");
        assertThatThrownBy(store::load).hasMessageContaining("does not hold a host credential");
        assertThatThrownBy(() -> store.save("x.y")).isInstanceOf(IllegalArgumentException.class);
    }
}
