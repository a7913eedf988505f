package io.postroom.mailbox.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.Security;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The providers whose servers Postroom knows, "own domain" last. */
final class Presets {
    static final List<Preset> ALL = List.of(
            new Preset("gmail", "Gmail",
                    new Endpoint("imap.gmail.com", 993, Security.SSL), new Endpoint("smtp.gmail.com", 587, Security.STARTTLS),
                    "Turn on IMAP in Gmail's settings and sign in with an app password (Google Account, Security,"
                            + " App passwords); Google refuses the normal password."),
            new Preset("outlook", "Outlook.com",
                    new Endpoint("outlook.office365.com", 993, Security.SSL),
                    new Endpoint("smtp-mail.outlook.com", 587, Security.STARTTLS),
                    "With two-step verification on, sign in with an app password."),
            new Preset("microsoft365", "Microsoft 365",
                    new Endpoint("outlook.office365.com", 993, Security.SSL),
                    new Endpoint("smtp.office365.com", 587, Security.STARTTLS),
                    "Your Microsoft 365 administrator must allow IMAP and authenticated SMTP for your account."),
            new Preset("ukrnet", "ukr.net",
                    new Endpoint("imap.ukr.net", 993, Security.SSL), new Endpoint("smtp.ukr.net", 465, Security.SSL),
                    "Allow IMAP access in the ukr.net mailbox settings and sign in with the password it generates for"
                            + " mail programs."),
            new Preset(Preset.CUSTOM, "Own domain", null, null,
                    "Enter the IMAP and SMTP servers your provider gives for mail programs."));

    private Presets() {
    }

    /** The preset with this id (case-insensitive); blank means {@code custom}. */
    static Preset find(String id) {
        String key = id == null || id.isBlank() ? Preset.CUSTOM : id.strip().toLowerCase(Locale.ROOT);
        for (Preset p : ALL) {
            if (p.id().equals(key)) {
                return p;
            }
        }
        String known = ALL.stream().map(Preset::id).collect(Collectors.joining(", "));
        throw new PostroomException(ErrorCode.UNKNOWN_PRESET,
                "There is no preset '" + (key.length() > 40 ? key.substring(0, 40) + "…" : key) + "'; choose one of "
                        + known + ".", Map.of("field", "preset", "offered", known));
    }
}
