package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router<String> router = new Router<String>()
            .add("GET", "/mailboxes", "list")
            .add("POST", "/mailboxes", "create")
            .add("POST", "/mailboxes/probe", "probe")
            .add("GET", "/mailboxes/default", "default")
            .add("GET", "/mailboxes/{id}", "get")
            .add("DELETE", "/mailboxes/{id}", "delete")
            .add("POST", "/mailboxes/{id}/verify", "verify");

    @Test
    void matchesLiteralAndVariableSegments() {
        assertThat(router.match("GET", "/mailboxes").handler()).isEqualTo("list");
        Router.Match<String> m = router.match("POST", "/mailboxes/42/verify");
        assertThat(m.handler()).isEqualTo("verify");
        assertThat(m.parameter("id")).isEqualTo("42");
    }

    @Test
    void literalSegmentWinsOverVariable() {
        assertThat(router.match("GET", "/mailboxes/default").handler()).isEqualTo("default");
        assertThat(router.match("GET", "/mailboxes/defaults").handler()).isEqualTo("get");
    }

    @Test
    void wrongMethodOnLiteralIs405NotTheVariableRoute() {
        assertThatThrownBy(() -> router.match("GET", "/mailboxes/probe"))
                .isInstanceOfSatisfying(HttpError.class, e -> {
                    assertThat(e.status()).isEqualTo(405);
                    assertThat(e.headers()).containsEntry("Allow", "POST");
                });
    }

    @Test
    void unknownPathIs404() {
        for (String path : new String[] {"/", "", "/mail", "/mailboxes/1/2/3", "/mailboxes//verify", "//mailboxes"}) {
            assertThatThrownBy(() -> router.match("GET", path)).as(path)
                    .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void trailingSlashIsIgnored() {
        assertThat(router.match("GET", "/mailboxes/").handler()).isEqualTo("list");
    }

    @Test
    void duplicateRouteIsRefused() {
        assertThatThrownBy(() -> router.add("GET", "/mailboxes/{other}", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
