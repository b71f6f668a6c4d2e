package io.hawser.console.containers.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OverviewPanelTest {

    @Test
    void masked_hidesValuesOfSecretLookingKeys_only() throws Exception {
        JsonNode inspect = new ObjectMapper().readTree("""
                {"Config": {"Env": ["PATH=/bin", "DB_PASSWORD=hunter2", "api_token=abc", "SSH_KEY=k", "MODE=fast", "EMPTY"]}}""");
        JsonNode masked = OverviewPanel.masked(inspect);
        assertThat(masked.path("Config").path("Env").toString()).isEqualTo("[\"PATH=/bin\",\"DB_PASSWORD=" + OverviewPanel.MASK
                + "\",\"api_token=" + OverviewPanel.MASK + "\",\"SSH_KEY=" + OverviewPanel.MASK + "\",\"MODE=fast\",\"EMPTY\"]");
        assertThat(inspect.toString()).as("the original is untouched").contains("hunter2");
    }
}
