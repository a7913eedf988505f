package io.postroom.rest.internal;

import io.postroom.api.Actor;
import io.postroom.api.PostroomException;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.rest.AuthenticationRequest;
import io.postroom.rest.RequestAuthenticator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AccountException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.CredentialException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in authenticator: HTTP Basic credentials checked by a JAAS realm (Karaf's
 * {@code karaf} realm, i.e. {@code etc/users.properties}, by default). A successful login acts as
 * the realm's user in the configured tenant. Nothing is cached: every request logs in again, and
 * the password is wiped from memory after the login.
 *
 * <p>Its {@code service.ranking} is -100, so any authenticator a host registers (ranking 0 by
 * default) takes its place.
 */
@Component(service = RequestAuthenticator.class, configurationPid = JaasBasicAuthenticator.PID,
        property = "service.ranking:Integer=-100")
@Designate(ocd = RestConfig.class)
public final class JaasBasicAuthenticator implements RequestAuthenticator {
    static final String PID = "io.postroom.rest";
    private static final Logger LOG = LoggerFactory.getLogger(JaasBasicAuthenticator.class);
    private static final int MAX_HEADER = 4096;

    private final String realm;
    private final TenantId tenant;
    private final boolean enabled;
    private final Configuration jaasConfiguration;
    private final LoginThrottle throttle;

    @Activate
    public JaasBasicAuthenticator(RestConfig config) {
        this(config.realm(), config.tenant(), config.basic_enabled(), null, throttle(config));
    }

    /** The sign-in throttle as configured, each number checked; the longest wait caps the first one too. */
    static LoginThrottle throttle(RestConfig config) {
        int maxFailures = atLeast("login.maxFailures", config.login_maxFailures(), 0);
        long lock = atLeast("login.lockSeconds", config.login_lockSeconds(), 1);
        long maxLock = atLeast("login.maxLockSeconds", config.login_maxLockSeconds(), 1);
        return new LoginThrottle(maxFailures, Duration.ofSeconds(Math.min(lock, maxLock)), Duration.ofSeconds(maxLock),
                Clock.systemUTC());
    }

    private static int atLeast(String property, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(property + " of io.postroom.rest must be at least " + min + ", not " + value);
        }
        return value;
    }

    /**
     * @param jaasConfiguration the JAAS configuration to use; null for the installed one (Karaf's)
     */
    JaasBasicAuthenticator(String realm, String tenant, boolean enabled, Configuration jaasConfiguration,
                           LoginThrottle throttle) {
        if (realm == null || realm.isBlank()) {
            throw new IllegalArgumentException("io.postroom.rest: realm must not be blank");
        }
        this.realm = realm.strip();
        this.tenant = TenantId.of(tenant);
        this.enabled = enabled;
        this.jaasConfiguration = jaasConfiguration;
        this.throttle = throttle;
    }

    @Override
    public Optional<Actor> authenticate(AuthenticationRequest request) {
        if (!enabled) {
            return Optional.empty();
        }
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty() || header.get().length() > MAX_HEADER) {
            return Optional.empty();
        }
        String value = header.get().strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        char[] decoded = decode(value.substring(6).strip());
        if (decoded == null) {
            return Optional.empty();
        }
        try {
            int colon = indexOf(decoded, ':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String user = new String(decoded, 0, colon);
            String address = request.remoteAddress();
            Duration wait = throttle.waitFor(user, address);
            if (!wait.isZero()) {
                throw HttpError.tooManyAttempts(wait); // the realm is not asked: the answer tells nothing of the password
            }
            char[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
            try {
                Login login = login(user, password, address);
                if (login.refused()) {
                    Duration lock = throttle.refused(user, address);
                    if (!lock.isZero()) {
                        LOG.warn("Sign-in of '{}' from {} refused too often in a row: the next must wait {} s",
                                printable(user), address, lock.getSeconds());
                    }
                } else if (login.name() != null) {
                    throttle.succeeded(user, address);
                }
                return Optional.ofNullable(login.name()).map(name -> new Actor(tenant, UserId.of(name)));
            } catch (PostroomException e) {
                // the realm knows a user name Postroom cannot take (too long, control characters)
                LOG.debug("User name refused: {}", e.getMessage());
                return Optional.empty();
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(decoded, '\0');
        }
    }

    /**
     * A login's outcome: the realm user's name on success; refused when the realm refused the user
     * name or password (not when the realm itself failed).
     */
    private record Login(String name, boolean refused) {
        static final Login REFUSED = new Login(null, true);
        static final Login FAILED = new Login(null, false);
    }

    /** Logs in to the realm; the name of the realm's user principal (or the given name) on success. */
    private Login login(String user, char[] password, String remoteAddress) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads login modules through the context class loader; Karaf's proxy module
        // is boot-delegated, so this bundle's class loader finds it whatever thread serves HTTP.
        thread.setContextClassLoader(JaasBasicAuthenticator.class.getClassLoader());
        try {
            Subject subject = new Subject();
            LoginContext context = new LoginContext(realm, subject, callbacks -> handle(callbacks, user, password),
                    jaasConfiguration);
            context.login();
            try {
                return new Login(subject.getPrincipals(UserPrincipal.class).stream()
                        .map(Principal::getName).findFirst().orElse(user), false);
            } finally {
                logout(context);
            }
        } catch (FailedLoginException | AccountException | CredentialException e) {
            LOG.debug("Login of '{}' from {} to realm {} refused: {}", printable(user), remoteAddress, realm, e.getMessage());
            return Login.REFUSED;
        } catch (LoginException e) {
            LOG.warn("Login of '{}' from {} to realm {} failed: {}", printable(user), remoteAddress, realm, e.getMessage());
            return Login.FAILED;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void handle(Callback[] callbacks, String user, char[] password) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(user);
            } else if (callback instanceof PasswordCallback pass) {
                pass.setPassword(password); // PasswordCallback keeps its own copy
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private static void logout(LoginContext context) {
        try {
            context.logout();
        } catch (LoginException e) {
            LOG.debug("JAAS logout failed", e);
        }
    }

    /** Base64 and then UTF-8 (RFC 7617), into a char array that the caller wipes; null if malformed. */
    private static char[] decode(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A user name as it may go into a log line: control characters (a forged line break) replaced. */
    static String printable(String user) {
        StringBuilder b = new StringBuilder(Math.min(user.length(), 200));
        user.codePoints().limit(200).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
