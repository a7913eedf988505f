package io.postroom.mailbox.internal;

import static io.postroom.mailbox.internal.ConnectionResolverTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.ErrorCode;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SpecialUse;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.spi.User;
import io.postroom.persistence.VerificationCode;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure rules: presets, names, settings, folders, codes. */
class RulesTest {
    static final UserId OWNER = UserId.of("owner");
    static final UserId BOB = UserId.of("bob");
    static final UserId CAROL = UserId.of("carol");
    static final User OWNER_USER = new User(OWNER, null, "Olga", "Owner", null, Set.of());

    static SettingsUpdate update(String senderName, String template, AccessLevel access, Set<UserId> shared,
                                 Set<UserId> allowed, List<String> folders) {
        return new SettingsUpdate(senderName, template, access, shared, null, null, allowed, null, null, null, folders);
    }

    // --- presets

    @Test
    void presetsAreTheFiveOfTheProductWithOwnDomainLast() {
        assertThat(Presets.ALL).extracting(Preset::id).containsExactly("gmail", "outlook", "microsoft365", "ukrnet", "custom");
        assertThat(Presets.ALL.get(4).custom()).isTrue();
        assertThat(Presets.ALL).allSatisfy(p -> assertThat(p.hint()).isNotBlank());
        assertThat(Presets.find(null).id()).isEqualTo("custom");
        assertThat(Presets.find(" UKRNET ").id()).isEqualTo("ukrnet");
        refused(ErrorCode.UNKNOWN_PRESET, "preset", () -> Presets.find("yandex"));
    }

    // --- name template

    @Test
    void nameTemplatesKnowFirstAndLastName() {
        assertThat(NameTemplate.check(" {{first_name}} {{ last_name }} (work) ")).isEqualTo("{{first_name}} {{ last_name }} (work)");
        assertThat(NameTemplate.render("{{first_name}} {{ last_name }} (work)", "Olga", "Owner", "o@example.com"))
                .isEqualTo("Olga Owner (work)");
        assertThat(NameTemplate.render("{{first_name}}  {{last_name}}", "", "Owner", "o@example.com")).isEqualTo("Owner");
        assertThat(NameTemplate.render("{{first_name}}", "", "", "o@example.com")).isEqualTo("o@example.com");
        assertThat(NameTemplate.render("", "Olga", "Owner", "o@example.com")).isEqualTo("o@example.com");
        assertThat(NameTemplate.render("{{first_name}}", "$1 \\", "", "o@example.com")).isEqualTo("$1 \\");
        refused(ErrorCode.INVALID_INPUT, "nameTemplate", () -> NameTemplate.check("{{email}}"));
        refused(ErrorCode.INVALID_INPUT, "nameTemplate", () -> NameTemplate.check("{{first_name}"));
        refused(ErrorCode.INVALID_INPUT, "nameTemplate", () -> NameTemplate.check("x}}"));
        refused(ErrorCode.HEADER_INJECTION, "nameTemplate", () -> NameTemplate.check("a\rb"));
        refused(ErrorCode.INVALID_INPUT, "nameTemplate", () -> NameTemplate.check("x".repeat(201)));
    }

    // --- settings

    @Test
    void defaultsAreThoseOfTheProduct() {
        MailboxSettings d = SettingsRules.defaults(OWNER_USER);
        assertThat(d.senderName()).isEqualTo("Olga Owner");
        assertThat(d.nameTemplate()).isEqualTo(MailboxSettings.DEFAULT_NAME_TEMPLATE);
        assertThat(d.accessLevel()).isEqualTo(AccessLevel.PERSONAL);
        assertThat(d.visibility()).isEqualTo(MessageVisibility.OWNER_ONLY);
        assertThat(d.crmLinking()).isTrue();
        assertThat(d.keep()).isEqualTo(KeepPolicy.BOTH);
        assertThat(d.syncPeriod()).isEqualTo(SyncPeriod.DAYS_14);
        // a host's display name with a line break never becomes a header
        assertThat(SettingsRules.defaults(new User(OWNER, "Olga\r\nBcc: x", null, null, null, Set.of())).senderName())
                .isEqualTo("Olga  Bcc: x");
    }

    @Test
    void senderNameIsHeaderSafe() {
        MailboxSettings base = SettingsRules.defaults(OWNER_USER);
        refused(ErrorCode.HEADER_INJECTION, "senderName", () -> SettingsRules.apply(base, update("A\nB", null, null, null, null, null), OWNER));
        refused(ErrorCode.HEADER_INJECTION, "senderName", () -> SettingsRules.apply(base, update("A\u2028B", null, null, null, null, null), OWNER));
        refused(ErrorCode.INVALID_INPUT, "senderName", () -> SettingsRules.apply(base, update("A\u0000B", null, null, null, null, null), OWNER));
        refused(ErrorCode.INVALID_INPUT, "senderName", () -> SettingsRules.apply(base, update("x".repeat(201), null, null, null, null, null), OWNER));
        assertThat(SettingsRules.apply(base, update("  Ölga «Sales»  ", null, null, null, null, null), OWNER).senderName())
                .isEqualTo("Ölga «Sales»");
    }

    @Test
    void sharingRules() {
        MailboxSettings base = SettingsRules.defaults(OWNER_USER);
        refused(ErrorCode.INVALID_INPUT, "sharedWith",
                () -> SettingsRules.apply(base, update(null, null, AccessLevel.PERSONAL, Set.of(BOB), null, null), OWNER));
        refused(ErrorCode.INVALID_INPUT, "sharedWith",
                () -> SettingsRules.apply(base, update(null, null, AccessLevel.SHARED, Set.of(), null, null), OWNER));
        refused(ErrorCode.INVALID_INPUT, "sharedWith",
                () -> SettingsRules.apply(base, update(null, null, AccessLevel.SHARED, Set.of(OWNER), null, null), OWNER));
        refused(ErrorCode.INVALID_INPUT, "allowedSenders",
                () -> SettingsRules.apply(base, update(null, null, AccessLevel.SHARED, Set.of(BOB), Set.of(CAROL), null), OWNER));

        MailboxSettings shared = SettingsRules.apply(base,
                update(null, null, AccessLevel.SHARED, Set.of(BOB, CAROL, OWNER), Set.of(BOB, OWNER), null), OWNER);
        assertThat(shared.sharedWith()).containsExactlyInAnyOrder(BOB, CAROL);
        assertThat(shared.allowedSenders()).containsExactly(BOB);

        // carol loses access; bob stays allowed. Then personal again: nobody
        MailboxSettings narrower = SettingsRules.apply(shared, update(null, null, null, Set.of(BOB), null, null), OWNER);
        assertThat(narrower.allowedSenders()).containsExactly(BOB);
        MailboxSettings noBob = SettingsRules.apply(shared, update(null, null, null, Set.of(CAROL), null, null), OWNER);
        assertThat(noBob.allowedSenders()).isEmpty();
        MailboxSettings personal = SettingsRules.apply(shared, update(null, null, AccessLevel.PERSONAL, null, null, null), OWNER);
        assertThat(personal.sharedWith()).isEmpty();
        assertThat(personal.allowedSenders()).isEmpty();
    }

    @Test
    void foldersAreDeduplicatedAndNeverEmpty() {
        MailboxSettings base = SettingsRules.defaults(OWNER_USER);
        assertThat(SettingsRules.apply(base, update(null, null, null, null, null, List.of("INBOX", "Sent", "INBOX")), OWNER)
                .folders()).containsExactly("INBOX", "Sent");
        refused(ErrorCode.INVALID_INPUT, "folders", () -> SettingsRules.apply(base, update(null, null, null, null, null, List.of()), OWNER));
        refused(ErrorCode.INVALID_INPUT, "folders", () -> SettingsRules.apply(base, update(null, null, null, null, null, List.of(" ")), OWNER));
        refused(ErrorCode.UNKNOWN_FOLDER, "folders", () -> SettingsRules.apply(base, update(null, null, null, null, null, List.of("a\r\nb")), OWNER));
    }

    @Test
    void changedNamesTheFieldsThatDiffer() {
        MailboxSettings base = SettingsRules.defaults(OWNER_USER);
        MailboxSettings next = SettingsRules.apply(base, new SettingsUpdate("X", null, null, null, MessageVisibility.EVERYONE,
                null, null, false, null, SyncPeriod.DAYS_7, List.of("INBOX")), OWNER);
        assertThat(SettingsRules.changed(base, next)).containsExactly("senderName", "visibility", "crmLinking",
                "syncPeriod", "folders");
        assertThat(SettingsRules.changed(next, next)).isEmpty();
    }

    // --- folders

    @Test
    void defaultFoldersAreInboxAndTheSentFolder() {
        List<RemoteFolder> server = List.of(new RemoteFolder("INBOX", Set.of(), true),
                new RemoteFolder("[Gmail]", Set.of(), false),
                new RemoteFolder("[Gmail]/Sent Mail", Set.of(SpecialUse.SENT), true),
                new RemoteFolder("[Gmail]/Trash", Set.of(SpecialUse.TRASH), true));
        assertThat(FolderChoice.defaults(server)).containsExactly("INBOX", "[Gmail]/Sent Mail");
        assertThat(FolderChoice.defaults(List.of(new RemoteFolder("INBOX", Set.of(), true)))).containsExactly("INBOX");

        assertThat(FolderChoice.check(List.of("inbox", "[Gmail]/Trash", "INBOX"), server)).containsExactly("INBOX", "[Gmail]/Trash");
        refused(ErrorCode.UNKNOWN_FOLDER, "folders", () -> FolderChoice.check(List.of("Sent"), server));
        refused(ErrorCode.UNKNOWN_FOLDER, "folders", () -> FolderChoice.check(List.of("[Gmail]"), server));
        refused(ErrorCode.UNKNOWN_FOLDER, "folders", () -> FolderChoice.check(List.of("[gmail]/trash"), server));
    }

    // --- codes

    @Test
    void codesAreSixDigitsAndStoredOnlyAsSaltedHashes() {
        VerificationCodes codes = new VerificationCodes(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String code = codes.newCode();
            assertThat(code).matches("\\d{6}");
            seen.add(code);
        }
        assertThat(seen.size()).isGreaterThan(40);

        String code = codes.newCode();
        String salt = codes.newSalt();
        String hash = VerificationCodes.hash(code, salt);
        assertThat(hash).startsWith("pbkdf2-sha256:").doesNotContain(code).hasSizeLessThanOrEqualTo(128);
        assertThat(VerificationCodes.hash(code, codes.newSalt())).isNotEqualTo(hash);

        VerificationCode stored = new VerificationCode(1, hash, salt, Instant.EPOCH, 0, Instant.EPOCH);
        assertThat(VerificationCodes.matches(code, stored)).isTrue();
        String other = code.equals("000000") ? "000001" : "000000";
        assertThat(VerificationCodes.matches(other, stored)).isFalse();
        assertThat(VerificationCodes.matches(code, new VerificationCode(1, "md5:x", salt, Instant.EPOCH, 0, Instant.EPOCH))).isFalse();
    }

    @Test
    void typedCodesAreNormalised() {
        assertThat(VerificationCodes.normalize(" 123 456 ")).isEqualTo("123456");
        assertThat(VerificationCodes.normalize("123-456")).isEqualTo("123456");
        assertThat(VerificationCodes.normalize("12345")).isNull();
        assertThat(VerificationCodes.normalize("1234567")).isNull();
        assertThat(VerificationCodes.normalize("12345a")).isNull();
        assertThat(VerificationCodes.normalize("١٢٣٤٥٦")).isNull();
        assertThat(VerificationCodes.normalize(null)).isNull();
    }

    /** Configuration Admin hands over any value: each bound of the metatype is checked, naming the property. */
    @Test
    void theMetatypesBoundsAreEnforced() {
        io.postroom.testing.ds.MetatypeBounds.assertEnforced(MailboxConfig.class, MailboxConfig.PID, MailboxRules::of);
    }
}
