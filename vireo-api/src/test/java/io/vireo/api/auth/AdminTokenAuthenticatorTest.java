package io.vireo.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.controller.RequestContext;
import io.vireo.model.Project;
import org.junit.jupiter.api.Test;

class AdminTokenAuthenticatorTest {
    private static final String TOKEN = "s3cret-admin-token-42";

    private final AdminTokenAuthenticator authenticator = new AdminTokenAuthenticator(TOKEN);

    @Test
    void theAdminTokenMapsToTheAdminProject() {
        assertThat(authenticator.authenticate(TOKEN))
                .map(RequestContext::projectId)
                .contains(Project.ADMIN_ID);
    }

    @Test
    void anyOtherTokenIsRefused() {
        for (String other : new String[] {
            "",
            "s",
            TOKEN + " ",
            " " + TOKEN,
            TOKEN.toUpperCase(java.util.Locale.ROOT),
            TOKEN.substring(0, TOKEN.length() - 1),
            TOKEN + TOKEN
        }) {
            assertThat(authenticator.authenticate(other)).as(other).isEmpty();
        }
    }

    @Test
    void shortAdminTokensAreRefusedAtStartup() {
        assertThatThrownBy(() -> new AdminTokenAuthenticator("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least " + AdminTokenAuthenticator.MIN_TOKEN_LENGTH);
    }
}
