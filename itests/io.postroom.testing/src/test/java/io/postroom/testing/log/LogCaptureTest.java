package io.postroom.testing.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

class LogCaptureTest {

    @Test
    void capturesStandardStreamsAndJavaUtilLoggingAndRestoresThem() {
        PrintStream out = System.out;
        try (LogCapture logs = LogCapture.start()) {
            System.out.println("to stdout");
            System.err.println("to stderr");
            Logger.getLogger("jakarta.mail").fine("fine detail");
            assertThat(logs.text()).contains("to stdout", "to stderr", "fine detail");
            assertThat(logs.contains("fine detail")).isTrue();
        }
        assertThat(System.out).isSameAs(out);
    }

    @Test
    void findsSecretsAsTheyAreUrlEncodedOrInsideBase64() {
        String secret = "p@ss wörd:42";
        for (String prefix : new String[] {"\0anna\0", "\0bo\0", "\0ola@postroom.test\0"}) {
            String authPlain = Base64.getEncoder().encodeToString((prefix + secret).getBytes(StandardCharsets.UTF_8));
            try (LogCapture logs = LogCapture.start()) {
                System.out.println("C: AUTHENTICATE PLAIN " + authPlain);
                assertThat(logs.findSecret(secret)).as(prefix).isPresent();
            }
        }
        try (LogCapture logs = LogCapture.start()) {
            System.out.println("GET /login?password=" + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8));
            assertThat(logs.findSecret(secret)).isPresent();
        }
        try (LogCapture logs = LogCapture.start()) {
            System.out.println("C: AUTHENTICATE PLAIN <hidden>");
            assertThat(logs.findSecret(secret)).isEmpty();
        }
    }
}
