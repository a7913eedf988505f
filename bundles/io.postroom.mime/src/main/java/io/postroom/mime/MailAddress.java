package io.postroom.mime;

import io.postroom.api.EmailAddress;
import io.postroom.api.PostroomException;
import java.util.Optional;

/**
 * One mailbox from an address header, read leniently: mail arrives with addresses that are not
 * valid addr-specs ({@code <matmail>}, {@code <>}, {@code jdoe@test}) and they are kept as found.
 * Use {@link #emailAddress()} for the strict {@link EmailAddress} when it is valid.
 *
 * @param name    display name, RFC 2047 decoded; null when there is none
 * @param address the addr-spec as found, comments and folding white space removed; null when the
 *                mailbox has no address at all (for example {@code "Name" <>})
 * @param raw     the mailbox as it appeared in the header (unfolded), never null
 */
public record MailAddress(String name, String address, String raw) {

    public MailAddress {
        name = blankToNull(name);
        address = blankToNull(address);
        raw = raw == null ? "" : raw;
    }

    public static MailAddress of(String name, String address) {
        String raw = name == null ? address : name + " <" + (address == null ? "" : address) + ">";
        return new MailAddress(name, address, raw);
    }

    /** The strict form when {@link #address()} is a valid addr-spec. */
    public Optional<EmailAddress> emailAddress() {
        if (address == null || address.indexOf('@') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(EmailAddress.of(address));
        } catch (PostroomException e) {
            return Optional.empty();
        }
    }

    /** Whether {@link #address()} is a valid addr-spec. */
    public boolean isValid() {
        return emailAddress().isPresent();
    }

    /** {@code Name <address>}, or whichever of the two exists, for display. */
    @Override
    public String toString() {
        if (name == null) {
            return address == null ? raw : address;
        }
        return address == null ? name : name + " <" + address + ">";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
