package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.BodyPart;
import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseOptions;
import io.postroom.mime.TextPart;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Properties;
import org.eclipse.angus.mail.iap.Protocol;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.junit.jupiter.api.Test;

/** BODYSTRUCTURE responses as servers send them (Dovecot, Gmail, Exchange quirks). */
class ImapStructureConverterTest {
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());

    private static BODYSTRUCTURE structure(String response) throws Exception {
        Protocol protocol = new Protocol(new ByteArrayInputStream(new byte[0]),
                new PrintStream(OutputStream.nullOutputStream()), new Properties(), false);
        FetchResponse fetch = new FetchResponse(new IMAPResponse("* 1 FETCH (BODYSTRUCTURE " + response + ")"), null,
                protocol);
        return fetch.getItem(BODYSTRUCTURE.class);
    }

    @Test
    void singlePartMessageIsPartOne() throws Exception {
        BodyPart root = parser.structure(structure(
                "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"iso-8859-1\" \"FORMAT\" \"flowed\") NIL NIL \"QUOTED-PRINTABLE\" 120 4 NIL NIL NIL NIL)"));
        assertThat(root.partNumber()).isEqualTo("1");
        assertThat(root.mimeType()).isEqualTo("text/plain");
        assertThat(root.charset()).isEqualTo("iso-8859-1");
        assertThat(root.parameters()).containsEntry("format", "flowed");
        assertThat(root.transferEncoding()).isEqualTo("quoted-printable");
        assertThat(root.size()).isEqualTo(120);
        assertThat(root.lines()).isEqualTo(4);
    }

    @Test
    void multipartWithEnclosedMessageAndEncodedFileNames() throws Exception {
        BodyPart root = parser.structure(structure("("
                + "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)"
                + "(\"application\" \"pdf\" (\"name\" \"=?utf-8?B?w6TDtsO8LnBkZg==?=\") \"<id1@x>\" NIL \"base64\" 4000 NIL"
                + " (\"attachment\" (\"filename*\" \"utf-8''%C3%A4%C3%B6%C3%BC.pdf\")) NIL NIL)"
                + "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 900"
                + " (\"Tue, 7 Jun 2005 10:00:00 +0000\" \"=?iso-8859-1?Q?Gr=FC=DFe?=\" ((\"Carol\" NIL \"carol\" \"example.com\"))"
                + " NIL NIL NIL NIL NIL NIL \"<inner@example.com>\")"
                + " ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 2 NIL NIL NIL NIL)"
                + "  (\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 40 2 NIL NIL NIL NIL) \"alternative\""
                + "  (\"boundary\" \"in\") NIL NIL)"
                + " 30 NIL NIL NIL NIL)"
                + " \"mixed\" (\"boundary\" \"out\") NIL NIL)"));
        assertThat(root.partNumber()).isEmpty();
        assertThat(root.mimeType()).isEqualTo("multipart/mixed");
        BodyPart pdf = root.parts().get(1);
        assertThat(pdf.partNumber()).isEqualTo("2");
        assertThat(pdf.fileName()).isEqualTo("äöü.pdf");
        assertThat(pdf.parameters()).containsEntry("name", "äöü.pdf");
        assertThat(pdf.contentId()).isEqualTo("id1@x");
        BodyPart message = root.parts().get(2);
        assertThat(message.isMessage()).isTrue();
        assertThat(message.message().subject()).isEqualTo("Grüße");
        assertThat(message.message().messageId()).isEqualTo("inner@example.com");
        assertThat(message.message().from().get(0).address()).isEqualTo("carol@example.com");
        BodyPart inner = message.parts().get(0);
        assertThat(inner.partNumber()).isEqualTo("3");
        assertThat(inner.parts()).extracting(BodyPart::partNumber).containsExactly("3.1", "3.2");
        assertThat(parser.selectText(root).parts()).extracting(TextPart::partNumber).containsExactly("1");
        assertThat(parser.selectText(root).attachments()).extracting(a -> a.partNumber() + " " + a.displayName())
                .containsExactly("2 äöü.pdf", "3 Grüße.eml");
    }

    @Test
    void nestedMessageWithoutEnvelopeAsGmailSendsIt() throws Exception {
        BodyPart root = parser.structure(structure("("
                + "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)"
                + "(\"message\" \"rfc822\" (\"name\" \"fwd.eml\") NIL NIL \"7bit\" 900 NIL NIL NIL NIL)"
                + " \"mixed\" (\"boundary\" \"out\") NIL NIL)"));
        BodyPart message = root.parts().get(1);
        assertThat(message.parts()).isEmpty();
        assertThat(parser.selectText(root).attachments()).extracting(a -> a.displayName()).containsExactly("fwd.eml");
    }

    @Test
    void rawUtf8ParameterFromTheServerIsRepaired() throws Exception {
        // servers send 8-bit parameter values as they are; Angus reads them as ISO-8859-1
        String utf8AsLatin1 = new String("ciële.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        BodyPart root = parser.structure(structure(
                "(\"text\" \"plain\" (\"name\" \"" + utf8AsLatin1 + "\") NIL NIL \"7bit\" 11 1 NIL (\"attachment\" NIL) NIL NIL)"));
        assertThat(root.fileName()).isEqualTo("ciële.txt");
    }

    @Test
    void deepStructuresAreCutAtTheDepthLimit() throws Exception {
        StringBuilder s = new StringBuilder();
        int depth = 40;
        for (int i = 0; i < depth; i++) {
            s.append('(');
        }
        s.append("(\"text\" \"plain\" NIL NIL NIL \"7bit\" 4 1)");
        for (int i = 0; i < depth; i++) {
            s.append(" \"mixed\")");
        }
        BodyPart root = parser.structure(structure(s.toString()));
        assertThat(parser.selectText(root).problems()).contains(io.postroom.mime.ParseProblem.MIME_NESTING_TOO_DEEP);
    }
}
