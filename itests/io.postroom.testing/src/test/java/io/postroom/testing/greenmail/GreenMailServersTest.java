package io.postroom.testing.greenmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

class GreenMailServersTest {

    @Test
    void listensOnLoopbackOnlyAndDeliversMail() throws Exception {
        GreenMail greenMail = GreenMailServers.start(
                GreenMailConfiguration.aConfig().withUser("anna@postroom.test", "anna", "secret"),
                ServerSetup.PROTOCOL_SMTP, ServerSetup.PROTOCOL_IMAP);
        try {
            assertThat(greenMail.getSmtp().getBindTo()).isEqualTo("127.0.0.1");
            assertThat(greenMail.getImap().getBindTo()).isEqualTo("127.0.0.1");
            int smtpPort = greenMail.getSmtp().getPort();
            int imapPort = greenMail.getImap().getPort();
            assertThat(smtpPort).isPositive().isNotEqualTo(ServerSetup.PORT_SMTP);

            Properties props = new Properties();
            props.put("mail.smtp.host", "127.0.0.1");
            props.put("mail.smtp.port", Integer.toString(smtpPort));
            props.put("mail.imap.host", "127.0.0.1");
            props.put("mail.imap.port", Integer.toString(imapPort));
            Session session = Session.getInstance(props);
            MimeMessage message = new MimeMessage(session);
            message.setFrom("ola@postroom.test");
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("anna@postroom.test"));
            message.setSubject("hello");
            message.setText("hi");
            Transport.send(message);

            try (Store store = session.getStore("imap")) {
                store.connect("anna", "secret");
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).isEqualTo(1);
                assertThat(inbox.getMessage(1).getSubject()).isEqualTo("hello");
                inbox.close();
            }
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void refusesUnknownProtocols() {
        assertThatThrownBy(() -> GreenMailServers.loopback("gopher")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gopher");
        assertThatThrownBy(GreenMailServers::loopback).isInstanceOf(IllegalArgumentException.class);
    }
}
