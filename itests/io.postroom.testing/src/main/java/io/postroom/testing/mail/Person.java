package io.postroom.testing.mail;

import java.util.List;
import java.util.Locale;

/**
 * A correspondent of generated mail: a display name (may be null, may be non-ASCII) and an address
 * under a reserved domain (RFC 2606 {@code .example} / {@code .test}).
 */
public record Person(String name, String address) {

    private static final List<String> NAMES = List.of(
            "John Smith", "Smith, John", "Mary O'Brien", "Jürgen Müller", "Anja Schäfer", "François Dupont",
            "Zoë Lefèvre", "José García", "Олена Шевченко", "Тарас Бойко", "Ірина Ковальчук", "田中 太郎",
            "鈴木 花子", "王伟", "李娜", "Γιώργος Παπαδόπουλος", "Anna Nowak", "Dr. Peter Brown",
            "Ola Nordmann", "Søren Kierkegaard", "Björn Ångström", "Chris \"CJ\" Jones", "Priya Sharma",
            "Mehmet Öztürk", "Łukasz Wójcik", "Accounts Payable", "noreply", "Support Team");
    private static final List<String> DOMAINS = List.of(
            "acme.example", "globex.example", "initech.example", "umbrella.example", "hooli.example",
            "firma.example", "societe.example", "kompaniya.example", "kaisha.example", "mail.test");

    /** Correspondent {@code n} of a generator's pool (deterministic). */
    static Person correspondent(int n) {
        String name = NAMES.get(Math.floorMod(n, NAMES.size()));
        String domain = DOMAINS.get(Math.floorMod(n * 7 + n / NAMES.size(), DOMAINS.size()));
        String local = localPart(name, n);
        // a few senders show no display name at all
        return new Person(n % 13 == 5 ? null : name, local + "@" + domain);
    }

    private static String localPart(String name, int n) {
        StringBuilder local = new StringBuilder();
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                local.append(c);
            } else if ((c == ' ' || c == '.') && local.length() > 0 && local.charAt(local.length() - 1) != '.') {
                local.append('.');
            }
        }
        while (local.length() > 0 && local.charAt(local.length() - 1) == '.') {
            local.setLength(local.length() - 1);
        }
        if (local.length() == 0) {
            local.append("contact");
        }
        return local + (n >= NAMES.size() ? Integer.toString(n / NAMES.size()) : "");
    }

    @Override
    public String toString() {
        return name == null ? address : name + " <" + address + ">";
    }
}
