package io.postroom.mailbox.internal;

import static io.postroom.testing.host.TestHost.ALICE;
import static io.postroom.testing.host.TestHost.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxEvents;
import io.postroom.protocol.Credentials;
import io.postroom.protocol.ImapConnection;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.SmtpConnection;
import io.postroom.testing.host.TestHost;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The address is confirmed with a code sent through the mailbox's own SMTP; until then it cannot send. */
class MailboxVerificationTest extends ServiceFixture {
    /** When set, the SMTP server "rejects" every message after a successful login. */
    private final AtomicBoolean rejectMessages = new AtomicBoolean();

    @Override
    MailConnector connector() {
        MailConnector real = realConnector;
        return new MailConnector() {
            @Override
            public ImapConnection openImap(Endpoint endpoint, Credentials credentials) {
                return real.openImap(endpoint, credentials);
            }

            @Override
            public SmtpConnection openSmtp(Endpoint endpoint, Credentials credentials) {
                SmtpConnection smtp = real.openSmtp(endpoint, credentials);
                return new SmtpConnection() {
                    @Override
                    public Session session() {
                        return smtp.session();
                    }

                    @Override
                    public void send(MimeMessage message) {
                        if (rejectMessages.get()) {
                            throw new ConnectionFailedException(new ConnectionFailure(ConnectionFailure.Protocol.SMTP,
                                    ConnectionFailure.Step.SEND, ConnectionFailure.Kind.PROTOCOL, endpoint.host(),
                                    endpoint.port(), "554 5.7.1 message refused"), null);
                        }
                        smtp.send(message);
                    }

                    @Override
                    public void close() {
                        smtp.close();
                    }
                };
            }

            @Override
            public void checkAllowed(Endpoint endpoint, ConnectionFailure.Protocol protocol) {
                real.checkAllowed(endpoint, protocol);
            }
        };
    }

    @Test
    void theCodeFromTheMessageVerifiesTheMailbox() {
        Account a = newAccount("verify");
        Mailbox m = create(ALICE, a);
        assertThat(m.verified()).isFalse();

        Mailbox verified = service.verify(actor(ALICE), m.id(), lastCode(a));

        assertThat(verified.verified()).isTrue();
        assertThat(eventAdmin.topics()).containsExactly(MailboxEvents.CREATED, MailboxEvents.VERIFIED);
        assertThat(eventAdmin.last().getProperty(MailboxEvents.USER)).isEqualTo("alice");
        assertThat(store.findVerificationCode(m.id().value())).isEmpty();
        // typed with a space, or again after verification: still fine
        assertThat(service.verify(actor(ALICE), m.id(), "000000").verified()).isTrue();
    }

    @Test
    void codesMayBeTypedWithSpacesOrDashes() {
        Account a = newAccount("spaces");
        Mailbox m = create(ALICE, a);
        String code = lastCode(a);
        assertThat(service.verify(actor(ALICE), m.id(), " " + code.substring(0, 3) + "-" + code.substring(3) + " ").verified())
                .isTrue();
    }

    @Test
    void untilVerifiedTheMailboxCannotSend() {
        Account a = newAccount("unverified");
        Mailbox m = create(ALICE, a);

        assertRefused(ErrorCode.MAILBOX_NOT_VERIFIED, null, () -> connections.forSending(actor(ALICE), m.id()));

        service.verify(actor(ALICE), m.id(), lastCode(a));
        assertThat(connections.forSending(actor(ALICE), m.id()).credentials().password().reveal()).isEqualTo(a.password());
    }

    @Test
    void aWrongCodeSaysHowManyAttemptsAreLeft() {
        Account a = newAccount("wrong");
        Mailbox m = create(ALICE, a);
        String wrong = wrongCode(lastCode(a));

        PostroomException e = assertRefused(ErrorCode.VERIFICATION_CODE_WRONG, "code",
                () -> service.verify(actor(ALICE), m.id(), wrong));

        assertThat(e.details()).containsEntry("attemptsLeft", 4);
        assertThat(e.getMessage()).contains("4 attempts left");
        assertThat(service.get(actor(ALICE), m.id()).verified()).isFalse();
        assertRefused(ErrorCode.VERIFICATION_CODE_WRONG, "code", () -> service.verify(actor(ALICE), m.id(), "12345"));
        assertRefused(ErrorCode.INVALID_INPUT, "code", () -> service.verify(actor(ALICE), m.id(), "  "));
    }

    @Test
    void fiveWrongCodesVoidTheCodeUntilANewOneIsSent() {
        Account a = newAccount("five");
        Mailbox m = create(ALICE, a);
        String right = lastCode(a);
        String wrong = wrongCode(right);
        for (int i = 0; i < 4; i++) {
            assertRefused(ErrorCode.VERIFICATION_CODE_WRONG, "code", () -> service.verify(actor(ALICE), m.id(), wrong));
        }
        assertRefused(ErrorCode.VERIFICATION_ATTEMPTS_EXCEEDED, "code", () -> service.verify(actor(ALICE), m.id(), wrong));
        PostroomException e = assertRefused(ErrorCode.VERIFICATION_ATTEMPTS_EXCEEDED, "code",
                () -> service.verify(actor(ALICE), m.id(), right));
        assertThat(e.getMessage()).contains("new code");
        assertThat(service.get(actor(ALICE), m.id()).verified()).isFalse();

        Instant expires = service.sendVerificationCode(actor(ALICE), m.id());

        assertThat(expires).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        String fresh = lastCode(a);
        assertThat(service.verify(actor(ALICE), m.id(), fresh).verified()).isTrue();
    }

    @Test
    void anExpiredCodeIsRefused() {
        Account a = newAccount("late");
        Mailbox m = create(ALICE, a);
        String code = lastCode(a);
        clock.advance(Duration.ofMinutes(30));

        assertRefused(ErrorCode.VERIFICATION_CODE_EXPIRED, "code", () -> service.verify(actor(ALICE), m.id(), code));
        assertThat(service.get(actor(ALICE), m.id()).verified()).isFalse();
    }

    @Test
    void aNewCodeReplacesTheOldOne() {
        Account a = newAccount("replace");
        Mailbox m = create(ALICE, a);
        String first = lastCode(a);
        service.sendVerificationCode(actor(ALICE), m.id());
        String second = lastCode(a);
        if (!first.equals(second)) {
            assertRefused(ErrorCode.VERIFICATION_CODE_WRONG, "code", () -> service.verify(actor(ALICE), m.id(), first));
        }
        assertThat(service.verify(actor(ALICE), m.id(), second).verified()).isTrue();
    }

    @Test
    void onlyTheOwnerVerifiesOrAsksForCodes() {
        Account a = newAccount("owner");
        Mailbox m = create(ALICE, a, sharedWith(BOB));
        assertRefused(ErrorCode.NOT_OWNER, null, () -> service.verify(actor(BOB), m.id(), lastCode(a)));
        assertRefused(ErrorCode.NOT_OWNER, null, () -> service.sendVerificationCode(actor(BOB), m.id()));
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> service.verify(actor(TestHost.CAROL), m.id(), lastCode(a)));
    }

    @Test
    void ifTheCodeCannotBeSentTheMailboxStaysSavedUnverifiedAndANewCodeCanBeAskedFor() {
        Account a = newAccount("nosend");
        rejectMessages.set(true);

        Mailbox m = create(ALICE, a);

        assertThat(m.active()).isTrue();
        assertThat(m.verified()).isFalse();
        assertThat(m.consecutiveFailures()).isEqualTo(1);
        assertThat(m.lastFailure()).contains("SMTP send").contains("554");
        assertThat(messagesTo(a)).isZero();
        assertThat(store.findVerificationCode(m.id().value())).isEmpty();
        assertRefused(ErrorCode.VERIFICATION_CODE_EXPIRED, "code", () -> service.verify(actor(ALICE), m.id(), "123456"));
        // asking again while the server still refuses: the error says why, nothing else changes
        assertThatThrownBy(() -> service.sendVerificationCode(actor(ALICE), m.id()))
                .isInstanceOfSatisfying(ConnectionFailedException.class,
                        e -> assertThat(e.failure().step()).isEqualTo(ConnectionFailure.Step.SEND));

        rejectMessages.set(false);
        service.sendVerificationCode(actor(ALICE), m.id());
        Mailbox verified = service.verify(actor(ALICE), m.id(), lastCode(a));
        assertThat(verified.verified()).isTrue();
    }

    @Test
    void anInactiveOrVerifiedMailboxGetsNoCode() {
        Account a = newAccount("inactive");
        Mailbox m = create(ALICE, a);
        service.deactivate(actor(ALICE), m.id(), "holiday");
        assertRefused(ErrorCode.MAILBOX_INACTIVE, null, () -> service.sendVerificationCode(actor(ALICE), m.id()));
        service.activate(actor(ALICE), m.id());
        service.verify(actor(ALICE), m.id(), lastCode(a));
        assertRefused(ErrorCode.INVALID_INPUT, null, () -> service.sendVerificationCode(actor(ALICE), m.id()));
    }

    private static String wrongCode(String right) {
        return right.equals("000000") ? "111111" : "000000";
    }
}
