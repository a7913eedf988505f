package io.postroom.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.postroom.rest}: the built-in HTTP Basic authentication. */
@ObjectClassDefinition(name = "Postroom REST API",
        description = "HTTP Basic authentication of the REST API against a JAAS realm.")
public @interface RestConfig {

    @AttributeDefinition(name = "JAAS realm", description = "The JAAS realm that checks user names and passwords (Karaf's own is 'karaf').")
    String realm() default "karaf";

    @AttributeDefinition(name = "Tenant", description = "The tenant every user of the realm belongs to (the standalone Postroom has one).")
    String tenant() default "demo";

    @AttributeDefinition(name = "HTTP Basic enabled", description = "When false, the built-in authenticator accepts nobody: a host must register its own RequestAuthenticator.")
    boolean basic_enabled() default true;

    @AttributeDefinition(name = "Failed sign-ins before a wait", description = "Refused sign-ins in a row of one user"
            + " name from one address before it must wait (0: no limit).", min = "0")
    int login_maxFailures() default 5;

    @AttributeDefinition(name = "First wait (seconds)", description = "The wait after the last allowed refusal;"
            + " doubled with every further one.", min = "1")
    int login_lockSeconds() default 30;

    @AttributeDefinition(name = "Longest wait (seconds)", description = "No wait is longer, the first one included.",
            min = "1")
    int login_maxLockSeconds() default 900;
}
