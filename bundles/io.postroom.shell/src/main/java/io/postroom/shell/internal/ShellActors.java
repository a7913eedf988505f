package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import java.security.AccessController;
import java.security.Principal;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Who acts in a Karaf session: the user the session's JAAS subject names (the user who logged in
 * over SSH or {@code bin/client}), in the configured tenant (PID {@code io.postroom.shell}).
 */
@Component(service = ShellActors.class, configurationPid = ShellActors.PID)
@Designate(ocd = ShellActors.Config.class)
public final class ShellActors {
    static final String PID = "io.postroom.shell";

    @ObjectClassDefinition(name = "Postroom shell", description = "Karaf console commands of Postroom (scope postroom).")
    public @interface Config {
        @AttributeDefinition(name = "Tenant", description = "The tenant the logged-in Karaf user acts in.")
        String tenant() default "demo";
    }

    private final TenantId tenant;

    @Activate
    public ShellActors(Config config) {
        this(config.tenant());
    }

    ShellActors(String tenant) {
        this.tenant = TenantId.of(tenant);
    }

    /**
     * @throws PostroomException {@code unauthenticated} when the session has no logged-in user
     */
    public Actor actor(Session session) {
        return actor(subjectOf(session));
    }

    Actor actor(Subject subject) {
        String name = subject == null ? null : subject.getPrincipals(UserPrincipal.class).stream()
                .map(Principal::getName).findFirst().orElse(null);
        if (name == null || name.isBlank()) {
            throw new PostroomException(ErrorCode.UNAUTHENTICATED,
                    "No user is logged in to this console session; connect with a user name "
                            + "(ssh -p 8101 USER@host, or bin/client -u USER) to use the postroom commands.");
        }
        return new Actor(tenant, UserId.of(name));
    }

    @SuppressWarnings("removal")
    private static Subject subjectOf(Session session) {
        Object attribute = session == null ? null : session.get(Subject.class.getName());
        if (attribute instanceof Subject subject) {
            return subject;
        }
        // Karaf runs each console in Subject.doAs of the logged-in user
        return Subject.getSubject(AccessController.getContext());
    }
}
