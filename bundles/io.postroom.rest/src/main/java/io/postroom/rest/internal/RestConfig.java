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
}
