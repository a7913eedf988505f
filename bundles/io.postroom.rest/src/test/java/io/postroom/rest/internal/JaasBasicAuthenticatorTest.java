package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.Actor;
import io.postroom.api.PostroomException;
import io.postroom.rest.AuthenticationRequest;
import io.postroom.rest.internal.ApiServer.Reply;
import io.postroom.testing.fakes.InMemoryMailboxService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import io.postroom.testing.time.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The built-in authenticator against a real JAAS login with a realm as Karaf would configure it. */
class JaasBasicAuthenticatorTest {

    /** A login module like Karaf's properties module: user names and passwords from a table. */
    public static final class TableLoginModule implements LoginModule {
        static final Map<String, String> USERS = Map.of("alice", "alice-pw", "Bob", "bob:pw:with:colons", "zoë", "pässwörd");
        static final java.util.concurrent.atomic.AtomicInteger LOGINS = new java.util.concurrent.atomic.AtomicInteger();
        private Subject subject;
        private CallbackHandler handler;
        private String user;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
            this.subject = subject;
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            LOGINS.incrementAndGet();
            NameCallback name = new NameCallback("user");
            PasswordCallback password = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {name, password});
            } catch (Exception e) {
                throw new LoginException(e.getMessage());
            }
            String expected = USERS.get(name.getName());
            if (expected == null || !expected.equals(new String(password.getPassword()))) {
                throw new FailedLoginException("Password does not match");
            }
            user = name.getName();
            return true;
        }

        @Override
        public boolean commit() {
            subject.getPrincipals().add(new UserPrincipal(user));
            subject.getPrincipals().add(new RolePrincipal("viewer"));
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            subject.getPrincipals().clear();
            return true;
        }
    }

    private static final Configuration REALM = new Configuration() {
        @Override
        public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            if (!"karaf".equals(name)) {
                return null;
            }
            return new AppConfigurationEntry[] {new AppConfigurationEntry(TableLoginModule.class.getName(),
                    AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
        }
    };

    private final TestClock clock = new TestClock();
    private final JaasBasicAuthenticator authenticator = new JaasBasicAuthenticator("karaf", "demo", true, REALM, throttle());

    private LoginThrottle throttle() {
        return new LoginThrottle(5, Duration.ofSeconds(30), Duration.ofSeconds(900), clock);
    }

    private static AuthenticationRequest request(String... authorization) {
        return requestFrom("192.0.2.1", authorization);
    }

    private static AuthenticationRequest requestFrom(String address, String... authorization) {
        return new AuthenticationRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String path() {
                return "/mailboxes";
            }

            @Override
            public Optional<String> header(String name) {
                return name.equalsIgnoreCase("Authorization") && authorization.length > 0
                        ? Optional.of(authorization[0]) : Optional.empty();
            }

            @Override
            public List<String> headers(String name) {
                return header(name).stream().toList();
            }

            @Override
            public String remoteAddress() {
                return address;
            }
        };
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validCredentialsActAsTheRealmUserInTheConfiguredTenant() {
        assertThat(authenticator.authenticate(request(basic("alice:alice-pw")))).contains(Actor.of("demo", "alice"));
    }

    @Test
    void passwordMayContainColonsAndUtf8() {
        assertThat(authenticator.authenticate(request(basic("Bob:bob:pw:with:colons")))).contains(Actor.of("demo", "Bob"));
        assertThat(authenticator.authenticate(request(basic("zoë:pässwörd")))).contains(Actor.of("demo", "zoë"));
    }

    @Test
    void schemeIsCaseInsensitive() {
        String header = "bAsIc " + Base64.getEncoder().encodeToString("alice:alice-pw".getBytes(StandardCharsets.UTF_8));
        assertThat(authenticator.authenticate(request(header))).isPresent();
    }

    @Test
    void keepsNoCredentials() {
        authenticator.authenticate(request(basic("alice:alice-pw")));
        assertThat(JaasBasicAuthenticator.class.getDeclaredFields())
                .noneMatch(f -> f.getType() == char[].class || f.getName().toLowerCase().contains("pass"));
    }

    @Test
    void wrongOrMissingCredentialsFindNobody() {
        assertThat(authenticator.authenticate(request())).isEmpty();
        assertThat(authenticator.authenticate(request(basic("alice:wrong")))).isEmpty();
        assertThat(authenticator.authenticate(request(basic("mallory:alice-pw")))).isEmpty();
        assertThat(authenticator.authenticate(request(basic("alice")))).isEmpty();
        assertThat(authenticator.authenticate(request(basic(":alice-pw")))).isEmpty();
        assertThat(authenticator.authenticate(request("Basic !!!not-base64"))).isEmpty();
        assertThat(authenticator.authenticate(request("Bearer abc"))).isEmpty();
        assertThat(authenticator.authenticate(request("Basic"))).isEmpty();
        assertThat(authenticator.authenticate(request("Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'}))))
                .isEmpty();
        assertThat(authenticator.authenticate(request(basic("alice:" + "x".repeat(5000))))).isEmpty();
    }

    @Test
    void unknownRealmFindsNobody() {
        JaasBasicAuthenticator other = new JaasBasicAuthenticator("nosuchrealm", "demo", true, REALM, throttle());
        assertThat(other.authenticate(request(basic("alice:alice-pw")))).isEmpty();
    }

    @Test
    void disabledBasicFindsNobody() {
        JaasBasicAuthenticator disabled = new JaasBasicAuthenticator("karaf", "demo", false, REALM, throttle());
        assertThat(disabled.authenticate(request(basic("alice:alice-pw")))).isEmpty();
    }

    @Test
    void invalidConfigurationIsRefusedAtActivation() {
        assertThatThrownBy(() -> new JaasBasicAuthenticator(" ", "demo", true, REALM, throttle())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JaasBasicAuthenticator("karaf", " ", true, REALM, throttle())).isInstanceOf(PostroomException.class);
    }

    @Test
    void contextClassLoaderIsRestored() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        authenticator.authenticate(request(basic("alice:alice-pw")));
        authenticator.authenticate(request(basic("alice:wrong")));
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void afterFiveRefusalsTheUserWaitsAndTheRealmIsNotAsked() {
        for (int i = 0; i < 5; i++) {
            assertThat(authenticator.authenticate(request(basic("alice:guess" + i)))).isEmpty();
        }
        int logins = TableLoginModule.LOGINS.get();
        // even the right password: the answer must not tell whether a guess was right
        assertThatThrownBy(() -> authenticator.authenticate(request(basic("alice:alice-pw")))).isInstanceOfSatisfying(
                HttpError.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("too_many_attempts");
                    assertThat(e.headers()).containsEntry("Retry-After", "30");
                    assertThat(e.details()).containsEntry("retryAfterSeconds", 30L);
                    assertThat(e.getMessage()).contains("try again in 30 seconds").doesNotContain("alice-pw");
                });
        assertThat(TableLoginModule.LOGINS.get()).isEqualTo(logins);

        clock.advance(Duration.ofSeconds(12));
        assertThatThrownBy(() -> authenticator.authenticate(request(basic("ALICE:x")))).isInstanceOfSatisfying(
                HttpError.class, e -> assertThat(e.headers()).containsEntry("Retry-After", "18"));
        clock.advance(Duration.ofSeconds(17));
        assertThatThrownBy(() -> authenticator.authenticate(request(basic("alice:alice-pw")))).isInstanceOfSatisfying(
                HttpError.class, e -> assertThat(e.getMessage()).endsWith("try again in 1 second."));
        clock.advance(Duration.ofSeconds(1));
        assertThat(authenticator.authenticate(request(basic("alice:alice-pw")))).contains(Actor.of("demo", "alice"));
        // a success clears the count: five more refusals before the next wait
        for (int i = 0; i < 4; i++) {
            assertThat(authenticator.authenticate(request(basic("alice:again" + i)))).isEmpty();
        }
        assertThat(authenticator.authenticate(request(basic("alice:alice-pw")))).isPresent();
    }

    @Test
    void everyFurtherRefusalDoublesTheWaitUpToTheLongest() {
        LoginThrottle t = throttle();
        for (int i = 0; i < 4; i++) {
            assertThat(t.refused("bob", "a")).isZero();
        }
        assertThat(t.refused("bob", "a")).hasSeconds(30);
        assertThat(t.refused("bob", "a")).hasSeconds(60);
        assertThat(t.refused("bob", "a")).hasSeconds(120);
        for (int i = 0; i < 40; i++) {
            t.refused("bob", "a");
        }
        assertThat(t.refused("bob", "a")).hasSeconds(900);
        assertThat(t.waitFor("bob", "a")).hasSeconds(900);
        assertThat(t.waitFor("bob", "b")).as("another address").isZero();
        assertThat(t.waitFor("carol", "a")).as("another user").isZero();
    }

    @Test
    void otherAddressesAndOtherUsersAreNotHeldUp() {
        for (int i = 0; i < 5; i++) {
            authenticator.authenticate(requestFrom("198.51.100.7", basic("alice:guess" + i)));
        }
        assertThatThrownBy(() -> authenticator.authenticate(requestFrom("198.51.100.7", basic("alice:alice-pw"))))
                .isInstanceOf(HttpError.class);
        assertThat(authenticator.authenticate(request(basic("alice:alice-pw")))).isPresent();
        assertThat(authenticator.authenticate(requestFrom("198.51.100.7", basic("Bob:bob:pw:with:colons")))).isPresent();
    }

    @Test
    void aFailingRealmIsNotCountedAgainstTheUser() {
        JaasBasicAuthenticator broken = new JaasBasicAuthenticator("nosuchrealm", "demo", true, REALM, throttle());
        for (int i = 0; i < 10; i++) {
            assertThat(broken.authenticate(request(basic("alice:alice-pw")))).isEmpty();
        }
    }

    @Test
    void zeroFailuresTurnsTheThrottleOff() {
        JaasBasicAuthenticator open = new JaasBasicAuthenticator("karaf", "demo", true, REALM,
                new LoginThrottle(0, Duration.ofSeconds(30), Duration.ofSeconds(900), clock));
        for (int i = 0; i < 20; i++) {
            open.authenticate(request(basic("alice:guess" + i)));
        }
        assertThat(open.authenticate(request(basic("alice:alice-pw")))).isPresent();
    }

    @Test
    void theTableOfFailuresIsBounded() {
        LoginThrottle t = throttle();
        for (int i = 0; i < LoginThrottle.MAX_ENTRIES + 500; i++) {
            t.refused("made-up-" + i, "203.0.113.9");
        }
        assertThat(t.size()).isEqualTo(LoginThrottle.MAX_ENTRIES);
    }

    @Test
    void invalidThrottleSettingsAreRefused() {
        assertThatThrownBy(() -> new LoginThrottle(-1, Duration.ofSeconds(30), Duration.ofSeconds(900), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(5, Duration.ofSeconds(30), Duration.ofSeconds(10), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("io.postroom.rest");
    }

    @Test
    void userNamesGoIntoTheLogWithoutLineBreaks() {
        assertThat(JaasBasicAuthenticator.printable("eve\nINFO forged line\r")).isEqualTo("eve?INFO forged line?");
        assertThat(JaasBasicAuthenticator.printable("x".repeat(500))).hasSize(200);
    }

    @Test
    void overHttpAWaitIs429WithRetryAfter() throws Exception {
        try (ApiServer api = new ApiServer(new InMemoryMailboxService(), authenticator)) {
            for (int i = 0; i < 5; i++) {
                Reply wrong = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/presets"))
                        .header("Authorization", basic("alice:nope" + i)).build());
                assertThat(wrong.status()).isEqualTo(401);
            }
            Reply held = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/presets"))
                    .header("Authorization", basic("alice:alice-pw")).build());
            assertThat(held.status()).isEqualTo(429);
            assertThat(held.header("Retry-After")).isEqualTo("30");
            assertThat(held.errorCode()).isEqualTo("too_many_attempts");
        }
    }

    @Test
    void overHttp() throws Exception {
        try (ApiServer api = new ApiServer(new InMemoryMailboxService(), authenticator)) {
            Reply none = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/presets")).build());
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).isEqualTo("Basic realm=\"postroom\"");
            Reply ok = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/presets"))
                    .header("Authorization", basic("alice:alice-pw")).build());
            assertThat(ok.status()).isEqualTo(200);
            Reply wrong = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/presets"))
                    .header("Authorization", basic("alice:nope")).build());
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.errorCode()).isEqualTo("unauthenticated");
        }
    }

    /** Configuration Admin hands over any value: each bound of the metatype is checked, naming the property. */
    @Test
    void theMetatypesBoundsAreEnforced() {
        io.postroom.testing.ds.MetatypeBounds.assertEnforced(RestConfig.class, RestConfig.class.getName(), JaasBasicAuthenticator::new);
    }
}
