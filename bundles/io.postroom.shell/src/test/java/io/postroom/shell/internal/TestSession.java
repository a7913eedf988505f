package io.postroom.shell.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;

/** A Karaf session as the console gives commands one: attributes, and a prompt that may be typed into. */
final class TestSession {
    private TestSession() {
    }

    /** A session of {@code user} (null: nobody logged in); {@code typed} answers prompts (null: headless). */
    static Session of(String user, String typed) {
        Map<String, Object> attributes = new HashMap<>();
        if (user != null) {
            Subject subject = new Subject();
            subject.getPrincipals().add(new UserPrincipal(user));
            subject.getPrincipals().add(new RolePrincipal("viewer"));
            attributes.put(Subject.class.getName(), subject);
        }
        return (Session) Proxy.newProxyInstance(TestSession.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> attributes.get((String) args[0]);
                    case "put" -> attributes.put((String) args[0], args[1]);
                    case "readLine" -> {
                        if (typed == null) {
                            throw new UnsupportedOperationException();
                        }
                        yield typed;
                    }
                    case "toString" -> "TestSession(" + user + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
