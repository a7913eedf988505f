package io.postroom.shell.internal;

import io.postroom.api.message.AttachmentInfo;
import io.postroom.api.message.Correspondent;
import io.postroom.api.message.Message;
import io.postroom.api.message.MessageSummary;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * How the message commands show messages. Everything in a message comes from outside: every text
 * goes through {@link Values#printable} (or {@link Values#cell} in tables), so that no escape
 * sequence reaches the terminal.
 */
final class MessagePrinter {
    static final String HIDDEN = "(hidden: the mailbox is private to its owner)";

    private MessagePrinter() {
    }

    static void list(List<MessageSummary> messages, PrintStream out, boolean format) {
        ShellTable table = new ShellTable().emptyTableText("No messages.");
        table.column("ID").alignRight();
        table.column("Date");
        table.column("Dir");
        table.column("From").maxSize(30);
        table.column("Subject").maxSize(50);
        table.column("Att");
        table.column("Folders").maxSize(30);
        for (MessageSummary m : messages) {
            table.addRow().addContent(m.id().value(), m.date() == null ? "" : m.date().toString(),
                    m.direction() == null ? "" : Values.token(m.direction()), correspondent(m.from()), subject(m),
                    m.hasAttachments() ? "yes" : "", m.deletedOnServer() ? "(deleted on server)" : Values.cell(String.join(", ", m.folders())));
        }
        table.print(out, format);
    }

    /** Headers as a two-column table, a blank line, the text (or HTML), and the attachments. */
    static void details(Message message, PrintStream out, boolean html) {
        MessageSummary m = message.summary();
        ShellTable table = new ShellTable().noHeaders();
        table.column("Field");
        table.column("Value");
        row(table, "ID", m.id().value());
        row(table, "Mailbox", m.mailbox().value());
        row(table, "Thread", m.threadId());
        row(table, "Direction", Values.token(m.direction()));
        row(table, "Date", m.date());
        row(table, "From", correspondent(m.from()));
        row(table, "To", correspondents(m.to()));
        optional(table, "Cc", correspondents(message.cc()));
        optional(table, "Bcc", correspondents(message.bcc()));
        optional(table, "Reply-To", correspondents(message.replyTo()));
        row(table, "Subject", subject(m));
        optional(table, "Message-ID", message.messageIdHeader());
        optional(table, "In-Reply-To", String.join(" ", message.inReplyTo()));
        optional(table, "References", String.join(" ", message.references()));
        optional(table, "List-Id", message.listId());
        optional(table, "Auto-Submitted", message.autoSubmitted());
        row(table, "Folders", m.deletedOnServer() ? "none (deleted on the server; the text stays in the CRM)" : String.join(", ", m.folders()));
        optional(table, "Flags", m.flags().stream().sorted().collect(Collectors.joining(" ")));
        row(table, "Size", m.size() + " bytes");
        optional(table, "Problems", message.problems().stream().sorted().collect(Collectors.joining(", ")));
        table.print(out, true);
        out.println();
        if (m.contentHidden()) {
            out.println(HIDDEN);
            return;
        }
        String body = html ? message.html() : message.text();
        if (body == null || body.isBlank()) {
            out.println(html ? "(no HTML part)" : "(no text)");
        } else {
            out.println(Values.printable(body).stripTrailing());
        }
        if (!message.attachments().isEmpty()) {
            out.println();
            attachments(message.attachments(), out);
        }
    }

    static void attachments(List<AttachmentInfo> attachments, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("#").alignRight();
        table.column("File name").maxSize(50);
        table.column("Type").maxSize(40);
        table.column("Size").alignRight();
        table.column("Inline");
        for (AttachmentInfo a : attachments) {
            table.addRow().addContent(a.index(), Values.cell(a.fileName()), Values.cell(a.contentType()), a.size(),
                    a.inline() ? "yes" : "no");
        }
        table.print(out, true);
    }

    private static String subject(MessageSummary m) {
        if (m.contentHidden()) {
            return HIDDEN;
        }
        return m.subject() == null || m.subject().isBlank() ? "(no subject)" : Values.cell(m.subject());
    }

    static String correspondent(Correspondent c) {
        if (c == null) {
            return "";
        }
        String name = Values.cell(c.name()).strip();
        String address = Values.cell(c.address()).strip();
        if (name.isEmpty()) {
            return address;
        }
        return address.isEmpty() ? name : name + " <" + address + ">";
    }

    private static String correspondents(Collection<Correspondent> list) {
        return list.stream().map(MessagePrinter::correspondent).collect(Collectors.joining(", "));
    }

    private static void row(ShellTable table, String field, Object value) {
        table.addRow().addContent(field + ":", value == null ? "" : Values.cell(value.toString()));
    }

    private static void optional(ShellTable table, String field, String value) {
        if (value != null && !value.isBlank()) {
            row(table, field, value);
        }
    }
}
