package io.postroom.api.message;

/**
 * A name and address from a message header, as the message had it. The address is not
 * necessarily a valid addr-spec (real mail is messy); use {@code io.postroom.api.EmailAddress}
 * to validate it.
 *
 * @param name    display name, may be empty
 * @param address the address text, may be empty when the header was unparseable
 */
public record Correspondent(String name, String address) {
    public Correspondent {
        name = name == null ? "" : name;
        address = address == null ? "" : address;
    }
}
