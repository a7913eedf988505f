package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.EmailAddress;
import io.postroom.mime.MailAddress;
import io.postroom.mime.ParseProblem;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressParserTest {
    private final Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);

    private List<MailAddress> parse(String value) {
        return AddressParser.parseList(value, problems);
    }

    @Test
    void commonForms() {
        assertThat(parse("\"Joe Q. Public\" <john.q.public@example.com>, Mary Smith <mary@x.test>, jdoe@example.org"))
                .extracting(MailAddress::name, MailAddress::address)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Joe Q. Public", "john.q.public@example.com"),
                        org.assertj.core.groups.Tuple.tuple("Mary Smith", "mary@x.test"),
                        org.assertj.core.groups.Tuple.tuple(null, "jdoe@example.org"));
        assertThat(problems).isEmpty();
    }

    @Test
    void quotedSpecialsCommentsAndGroups() {
        assertThat(parse("\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>").get(0).name())
                .isEqualTo("Giant; \"Big\" Box");
        assertThat(parse("A Group:Chris Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;"))
                .extracting(MailAddress::address).containsExactly("c@a.test", "joe@where.test", "jdoe@one.test");
        assertThat(parse("Undisclosed recipients:;")).isEmpty();
        assertThat(parse("jdoe@example.org (John Doe)").get(0).name()).isEqualTo("John Doe");
        assertThat(parse("Mary Smith <@machine.tld:mary@example.net>").get(0).address()).isEqualTo("mary@example.net");
    }

    @Test
    void encodedDisplayNames() {
        assertThat(parse("=?ISO-8859-1?Q?Nicolas_Fouch=E9?= <a.b@gmail.com>").get(0).name()).isEqualTo("Nicolas Fouché");
        assertThat(parse("\"=?utf-8?B?SsO2cmc=?=\" <j@example.com>").get(0).name()).isEqualTo("Jörg");
        assertThat(parse("=?utf-8?Q?Smith,_John?= <j@example.com>")).hasSize(1);
    }

    @Test
    void brokenFormsAreKeptAndFlagged() {
        assertThat(parse("tim@example.com concierge@example.com")).extracting(MailAddress::address)
                .containsExactly("tim@example.com", "concierge@example.com");
        assertThat(problems).contains(ParseProblem.MALFORMED_HEADER);
        MailAddress noAddress = parse("\"Name\" <>").get(0);
        assertThat(noAddress.address()).isNull();
        assertThat(noAddress.name()).isEqualTo("Name");
        MailAddress local = parse("\"x@y\" <matmail>").get(0);
        assertThat(local.address()).isEqualTo("matmail");
        assertThat(local.isValid()).isFalse();
        assertThat(local.emailAddress()).isEmpty();
        assertThat(parse("\"Unterminated <a@example.com>")).hasSize(1);
        assertThat(parse("Ann <ann@example.com")).extracting(MailAddress::address).containsExactly("ann@example.com");
        assertThat(parse(" , ,")).isEmpty();
    }

    @Test
    void validAddressesConvertToTheStrictType() {
        MailAddress a = parse("Ann <Ann@Example.COM>").get(0);
        assertThat(a.emailAddress()).contains(EmailAddress.of("Ann@example.com"));
        assertThat(a.toString()).isEqualTo("Ann <Ann@Example.COM>");
    }
}
