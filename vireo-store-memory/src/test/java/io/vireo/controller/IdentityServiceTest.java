package io.vireo.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.IdGenerator;
import io.vireo.common.VireoException;
import io.vireo.common.testing.MutableClock;
import io.vireo.controller.identity.IdentityService;
import io.vireo.controller.identity.IdentitySettings;
import io.vireo.controller.identity.IssuedToken;
import io.vireo.controller.identity.NewToken;
import io.vireo.controller.identity.NewUser;
import io.vireo.controller.identity.PasswordHasher;
import io.vireo.model.Project;
import io.vireo.model.Role;
import io.vireo.model.User;
import io.vireo.model.UserKind;
import io.vireo.store.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdentityServiceTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final RequestContext SYSTEM = new RequestContext(Project.ADMIN_ID, "test");

    private final InMemoryStore memory = new InMemoryStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
    private final IdentityService identity = new IdentityService(
            memory.identity(),
            IdentitySettings.DEFAULTS.withPasswordIterations(PasswordHasher.MIN_ITERATIONS),
            IdGenerator.seeded(new SplittableRandom(5)),
            clock,
            new SplittableRandom(6));

    @Test
    void theBuiltInAdminGetsItsFirstPasswordOnce() {
        identity.ensureAdminPassword("first-password-0123");
        identity.ensureAdminPassword("second-password-0123");

        assertThat(identity.login(User.ADMIN_NAME, "first-password-0123").user().role())
                .isEqualTo(Role.ADMIN);
        assertThatThrownBy(() -> identity.login(User.ADMIN_NAME, "second-password-0123"))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }

    @Test
    void aTokenActsUntilItExpires() {
        IssuedToken login = identity.login(person("ann", Role.MEMBER).name(), PASSWORD);
        assertThat(identity.authenticate(login.secret())).map(Principal::name).contains("ann");

        clock.advance(IdentitySettings.DEFAULTS.loginTokenLifetime().minusSeconds(1));
        assertThat(identity.authenticate(login.secret())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(identity.authenticate(login.secret())).isEmpty();
    }

    @Test
    void aTokenStopsWhenRevokedDeletedOrItsUserIsGone() {
        User ann = person("ann", Role.MEMBER);
        RequestContext asAnn = new RequestContext(Principal.of(ann), "t");
        IssuedToken revoked = identity.createToken(asAnn, new NewToken(null, "a", null));
        IssuedToken deleted = identity.createToken(asAnn, new NewToken(null, "b", null));
        IssuedToken orphaned = identity.createToken(asAnn, new NewToken(null, "c", null));

        identity.revokeToken(asAnn, revoked.token().id());
        identity.deleteToken(asAnn, deleted.token().id());
        assertThat(identity.authenticate(orphaned.secret())).isPresent();
        identity.deleteUser(SYSTEM, "ann");

        assertThat(identity.authenticate(revoked.secret())).isEmpty();
        assertThat(identity.authenticate(deleted.secret())).isEmpty();
        assertThat(identity.authenticate(orphaned.secret())).isEmpty();
        assertThat(identity.authenticate("vireo_not-a-token")).isEmpty();
    }

    @Test
    void aProjectAdminManagesNoOneAboveThem() {
        User boss = identity.createUser(SYSTEM, new NewUser("boss", null, Role.ADMIN, UserKind.PERSON, PASSWORD));
        RequestContext asAnn = new RequestContext(Principal.of(person("ann", Role.PROJECT_ADMIN)), "t");
        IssuedToken bossToken =
                identity.createToken(new RequestContext(Principal.of(boss), "t"), new NewToken(null, "", null));

        assertThatThrownBy(() -> identity.deleteUser(asAnn, "boss"))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThatThrownBy(() -> identity.revokeToken(asAnn, bossToken.token().id()))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThat(identity.authenticate(bossToken.secret())).isPresent();
    }

    @Test
    void shortPasswordsAndPasswordsForServiceAccountsAreRefused() {
        assertThatThrownBy(() ->
                        identity.createUser(SYSTEM, new NewUser("ann", null, Role.MEMBER, UserKind.PERSON, "short")))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> identity.createUser(
                        SYSTEM, new NewUser("bot", null, Role.MEMBER, UserKind.SERVICE_ACCOUNT, PASSWORD)))
                .isInstanceOfSatisfying(
                        VireoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(memory.identity().users().findByName("ann")).isEmpty();
    }

    private User person(String name, Role role) {
        return identity.createUser(SYSTEM, new NewUser(name, null, role, UserKind.PERSON, PASSWORD));
    }
}
