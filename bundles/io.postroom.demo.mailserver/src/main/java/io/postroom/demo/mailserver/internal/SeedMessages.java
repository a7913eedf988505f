package io.postroom.demo.mailserver.internal;

import jakarta.activation.DataHandler;
import jakarta.mail.Flags;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The messages every demo account starts with: a thread with a colleague (In-Reply-To and
 * References, the middle message in Sent), a customer's message with a Ukrainian subject, an HTML
 * newsletter, a message with a small CSV attachment, and a proposal in Sent. Message-IDs are
 * stable across restarts; dates are relative to the start, so a short sync period sees them all.
 */
final class SeedMessages {
    static final String INBOX = "INBOX";
    static final String SENT = "Sent";

    /** A message to put into a folder. */
    record Seed(String folder, MimeMessage message, Flags flags, Date received) {
    }

    private final Session session = Session.getInstance(new java.util.Properties());
    private final Instant now;

    SeedMessages(Instant now) {
        this.now = now;
    }

    /**
     * @param me        the account whose folders are seeded
     * @param colleague another demo account (or a made-up colleague), the other side of the thread
     * @param other     a third person who sends the contract
     */
    List<Seed> forAccount(Person me, Person colleague, Person other) throws MessagingException {
        String tag = me.address().substring(0, me.address().indexOf('@'));
        String threadStart = "<board-figures." + tag + "@demo.postroom.io>";
        String threadReply = "<board-figures-reply." + tag + "@demo.postroom.io>";
        Person customer = new Person("Олена Петренко", "olena.petrenko@kyiv-logistics.example");
        Person newsletter = new Person("Northwind Traders", "news@northwind.example");
        Person prospect = new Person("Jordan Lee", "jordan.lee@fabrikam.example");

        List<Seed> seeds = new ArrayList<>();

        MimeMessage figures = message(threadStart, colleague, me, "Quarterly figures for the board", daysAgo(6, 9, 12));
        figures.setText("Hi " + me.firstName() + ",\n\n"
                + "could you check the Q3 numbers before Thursday's board meeting? Revenue is up 8% on Q2,\n"
                + "but the travel costs look too high to me.\n\n"
                + "Thanks,\n" + colleague.firstName() + "\n", "UTF-8");
        seeds.add(seed(INBOX, figures, true));

        MimeMessage reply = message(threadReply, me, colleague, "Re: Quarterly figures for the board", daysAgo(5, 10, 3));
        reply.setHeader("In-Reply-To", threadStart);
        reply.setHeader("References", threadStart);
        reply.setText("Hi " + colleague.firstName() + ",\n\n"
                + "the travel costs include the trade fair in Lviv; I will split them out in the slides.\n\n"
                + me.firstName() + "\n\n"
                + "> could you check the Q3 numbers before Thursday's board meeting?\n", "UTF-8");
        seeds.add(seed(SENT, reply, true));

        MimeMessage order = message("<order-42." + tag + "@kyiv-logistics.example>", customer, me,
                "Замовлення № 42: підтвердження доставки", daysAgo(5, 14, 47));
        order.setText("Доброго дня!\n\n"
                + "Підтверджуємо доставку замовлення № 42 на 27 листопада, з 9:00 до 12:00.\n"
                + "Будь ласка, повідомте, чи хтось буде на складі.\n\n"
                + "З повагою,\nОлена Петренко\nKyiv Logistics\n", "UTF-8");
        seeds.add(seed(INBOX, order, false));

        MimeMessage news = message("<price-list-2026-11." + tag + "@northwind.example>", newsletter, me,
                "Your November price list", daysAgo(4, 7, 30));
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Northwind Traders - November prices\n\nChai: 18.00 EUR\nChang: 19.00 EUR\n\n"
                + "Prices valid until 30 November.\n", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<!DOCTYPE html><html><body>"
                + "<h1 style=\"color:#2a5db0\">Northwind Traders</h1>"
                + "<p>Your <b>November</b> prices:</p>"
                + "<table><tr><td>Chai</td><td>18.00&nbsp;EUR</td></tr><tr><td>Chang</td><td>19.00&nbsp;EUR</td></tr></table>"
                + "<p><a href=\"https://northwind.example/prices\">See all prices</a></p>"
                + "</body></html>", "text/html; charset=UTF-8");
        MimeMultipart alternative = new MimeMultipart("alternative", plain, html);
        news.setContent(alternative);
        seeds.add(seed(INBOX, news, false));

        MimeMessage followUp = message("<board-figures-re2." + tag + "@demo.postroom.io>", colleague, me,
                "Re: Re: Quarterly figures for the board", daysAgo(3, 16, 5));
        followUp.setHeader("In-Reply-To", threadReply);
        followUp.setHeader("References", threadStart + " " + threadReply);
        followUp.setText("Great, that explains it. See you on Thursday.\n\n" + colleague.firstName() + "\n\n"
                + "> the travel costs include the trade fair in Lviv; I will split them out in the slides.\n", "UTF-8");
        seeds.add(seed(INBOX, followUp, false));

        MimeMessage contract = message("<fabrikam-prices." + tag + "@demo.postroom.io>", other, me,
                "Fabrikam: agreed prices", daysAgo(2, 11, 20));
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Hi " + me.firstName() + ",\n\nattached are the prices Fabrikam agreed to yesterday.\n\n"
                + other.firstName() + "\n", "UTF-8");
        MimeBodyPart csv = new MimeBodyPart();
        csv.setDataHandler(new DataHandler(new ByteArrayDataSource(
                "product,unit price EUR,quantity\nChai,17.10,120\nChang,18.05,80\n".getBytes(StandardCharsets.UTF_8),
                "text/csv; charset=UTF-8")));
        csv.setFileName("fabrikam-prices.csv");
        csv.setDisposition(MimeBodyPart.ATTACHMENT);
        contract.setContent(new MimeMultipart(text, csv));
        seeds.add(seed(INBOX, contract, false));

        MimeMessage proposal = message("<fabrikam-proposal." + tag + "@demo.postroom.io>", me, prospect,
                "Proposal for Fabrikam", daysAgo(1, 15, 42));
        proposal.setText("Dear Jordan,\n\nas discussed, we can deliver 200 units of Chai by 15 December.\n"
                + "I will send the contract on Monday.\n\nBest regards,\n" + me.name() + "\n", "UTF-8");
        seeds.add(seed(SENT, proposal, true));

        return seeds;
    }

    private Date daysAgo(int days, int hour, int minute) {
        Instant day = now.minus(Duration.ofDays(days)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        return Date.from(day.plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute)));
    }

    private MimeMessage message(String messageId, Person from, Person to, String subject, Date date) throws MessagingException {
        MimeMessage m = new FixedIdMessage(session, messageId);
        m.setFrom(from.internetAddress());
        m.setRecipient(RecipientType.TO, to.internetAddress());
        m.setSubject(subject, "UTF-8");
        m.setSentDate(date);
        return m;
    }

    private static Seed seed(String folder, MimeMessage message, boolean seen) throws MessagingException {
        message.saveChanges();
        Flags flags = new Flags();
        if (seen) {
            flags.add(Flags.Flag.SEEN);
        }
        return new Seed(folder, message, flags, message.getSentDate());
    }

    /** Someone in the demo messages. */
    record Person(String name, String address) {
        String firstName() {
            int space = name.indexOf(' ');
            return space < 0 ? name : name.substring(0, space);
        }

        InternetAddress internetAddress() {
            try {
                return new InternetAddress(address, name, "UTF-8");
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Keeps its Message-ID when saved, so a restarted demo server has the same messages. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
