package io.postroom.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import java.security.PrivilegedAction;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.jupiter.api.Test;

class ShellActorsTest {
    private final ShellActors actors = new ShellActors("demo");

    @Test
    void theSessionsLoggedInUserActsInTheConfiguredTenant() {
        assertThat(actors.actor(TestSession.of("alice", null))).isEqualTo(Actor.of("demo", "alice"));
        assertThat(new ShellActors("acme").actor(TestSession.of("bob", null))).isEqualTo(Actor.of("acme", "bob"));
    }

    @Test
    @SuppressWarnings("removal")
    void theSubjectOfTheThreadIsUsedWhenTheSessionHasNone() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("carol"));
        Actor actor = Subject.doAs(subject, (PrivilegedAction<Actor>) () -> actors.actor(TestSession.of(null, null)));
        assertThat(actor).isEqualTo(Actor.of("demo", "carol"));
    }

    @Test
    void noLoggedInUserIsAClearFailure() {
        assertThatThrownBy(() -> actors.actor(TestSession.of(null, null)))
                .isInstanceOfSatisfying(PostroomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                    assertThat(e.getMessage()).contains("No user is logged in");
                });
        Subject rolesOnly = new Subject();
        rolesOnly.getPrincipals().add(new RolePrincipal("admin"));
        assertThatThrownBy(() -> actors.actor(rolesOnly)).isInstanceOf(PostroomException.class);
    }

    @Test
    void blankTenantIsRefused() {
        assertThatThrownBy(() -> new ShellActors(" ")).isInstanceOf(PostroomException.class);
    }
}
