package io.postroom.demo.mailserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoAccountTest {

    @Test
    void passwordIsThePartBeforeTheAtUnlessGiven() {
        List<DemoAccount> accounts = DemoAccount.parse(" alice@example.com, bob@example.com:Secret:with:colons ,, ");

        assertThat(accounts).extracting(a -> a.address().value(), DemoAccount::password, DemoAccount::displayName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alice@example.com", "alice", "Alice Archer"),
                        org.assertj.core.groups.Tuple.tuple("bob@example.com", "Secret:with:colons", "Bob Baker"));
        assertThat(accounts.get(0).login()).isEqualTo("alice@example.com");
    }

    @Test
    void unknownNamesAreCapitalised() {
        assertThat(DemoAccount.parse("dana@example.org").get(0).displayName()).isEqualTo("Dana");
    }

    @Test
    void printsWithoutPassword() {
        assertThat(DemoAccount.parse("bob@example.com:Secret").get(0).toString()).doesNotContain("Secret");
    }

    @Test
    void refusesInvalidAddressDuplicatesEmptyPasswordAndEmptyList() {
        assertThatThrownBy(() -> DemoAccount.parse("alice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("accounts: 'alice' is not a valid e-mail address");
        assertThatThrownBy(() -> DemoAccount.parse("alice@example.com, ALICE@example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accounts: ALICE@example.com is listed twice.");
        assertThatThrownBy(() -> DemoAccount.parse("alice@example.com:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accounts: the password of alice@example.com after ':' is empty.");
        assertThatThrownBy(() -> DemoAccount.parse(" , "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accounts: list at least one address, such as alice@example.com.");
    }
}
