package io.postroom.testing.mail;

import java.nio.charset.Charset;
import java.util.List;
import java.util.SplittableRandom;

/** Languages of generated text, with the words they use and the charsets mail in them comes in. */
enum Language {
    ENGLISH("en", " ", List.of("US-ASCII", "UTF-8"),
            "meeting project invoice quarterly report schedule proposal contract budget review delivery "
            + "customer order payment status update agenda follow-up question attached draft final version "
            + "please confirm thanks regards team deadline next week Monday Friday call discussion changes "
            + "approval price offer shipment warehouse support ticket renewal licence account manager"),
    GERMAN("de", " ", List.of("ISO-8859-1", "windows-1252", "ISO-8859-15", "UTF-8"),
            "Besprechung Angebot Rechnung Übersicht Lieferung Änderung größere Straße Grüße Bestätigung "
            + "Termin nächste Woche Vertrag Kündigung Mängel Prüfung Überweisung Bestellung Rückfrage "
            + "für über schön müssen Zahlung Verlängerung Kunden Projekt Entwurf Freitag Montag bitte "
            + "Anhang Unterlagen Frist Ausschreibung Ergebnis"),
    FRENCH("fr", " ", List.of("ISO-8859-1", "ISO-8859-15", "UTF-8"),
            "réunion facture échéance société déjà prévu commande livraison reçu été très bientôt "
            + "contrat devis projet équipe semaine prochaine réponse merci cordialement à où ça "
            + "modifié relance paiement fournisseur élément pièce jointe"),
    UKRAINIAN("uk", " ", List.of("UTF-8", "KOI8-U", "windows-1251"),
            "зустріч рахунок договір проєкт звіт постачання ціна замовлення відповідь будь ласка "
            + "дякую наступного тижня понеділок п'ятниця оплата затвердження пропозиція клієнт "
            + "команда терміни зміни питання документи підпис склад доставка їжа ґанок єдиний"),
    JAPANESE("ja", "", List.of("UTF-8", "ISO-2022-JP", "Shift_JIS"),
            "会議 請求書 見積もり 契約 報告 よろしく お願いします 来週 月曜日 金曜日 確認 資料 添付 "
            + "変更 予定 担当 案件 納品 支払い 承認 ご連絡 ありがとうございます 打ち合わせ"),
    CHINESE("zh", "", List.of("UTF-8", "GBK", "GB2312"),
            "会议 发票 合同 报告 项目 下周 星期一 星期五 确认 附件 付款 订单 客户 价格 谢谢 "
            + "请 回复 修改 计划 团队 交付 审批 问题"),
    GREEK("el", " ", List.of("UTF-8", "ISO-8859-7"),
            "συνάντηση τιμολόγιο σύμβαση έργο αναφορά παραγγελία πληρωμή ευχαριστώ επόμενη εβδομάδα "
            + "Δευτέρα Παρασκευή προσφορά πελάτης ομάδα αλλαγές ερώτηση");

    final String code;
    final String separator;
    final List<String> charsets;
    final String[] words;

    Language(String code, String separator, List<String> charsets, String words) {
        this.code = code;
        this.separator = separator;
        this.charsets = charsets;
        this.words = words.split(" ");
    }

    /** English and German are most common, as in a European CRM's mailboxes. */
    static Language pick(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 55) {
            return ENGLISH;
        } else if (roll < 70) {
            return GERMAN;
        } else if (roll < 78) {
            return FRENCH;
        } else if (roll < 90) {
            return UKRAINIAN;
        } else if (roll < 95) {
            return JAPANESE;
        } else if (roll < 98) {
            return CHINESE;
        }
        return GREEK;
    }

    Charset pickCharset(SplittableRandom random) {
        String name = charsets.get(random.nextInt(charsets.size()));
        return Charset.isSupported(name) ? Charset.forName(name) : Charset.forName("UTF-8");
    }

    String words(SplittableRandom random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(separator);
            }
            text.append(words[random.nextInt(words.length)]);
        }
        return text.toString();
    }

    /** Some text of about {@code length} characters in paragraphs, lines joined by CRLF, wrapped near 72. */
    String paragraphs(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder(length + 200);
        int lineLength = 0;
        int sentence = 0;
        boolean wide = separator.isEmpty();
        int wrapAt = wide ? 36 : 72;
        while (text.length() < length) {
            String word = words[random.nextInt(words.length)];
            if (sentence == 0 && !wide) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            if (lineLength > 0 && lineLength + word.length() + 1 > wrapAt) {
                text.append("\r\n");
                lineLength = 0;
            } else if (lineLength > 0) {
                text.append(separator);
                lineLength += separator.length();
            }
            text.append(word);
            lineLength += word.length();
            sentence++;
            if (sentence > 6 + random.nextInt(10)) {
                text.append(wide ? "。" : ".");
                lineLength++;
                sentence = 0;
                if (random.nextInt(5) == 0) {
                    text.append("\r\n\r\n");
                    lineLength = 0;
                }
            }
        }
        return text.toString();
    }

    /** "Re: " and its local forms. */
    String replyPrefix(SplittableRandom random) {
        if (this == GERMAN && random.nextBoolean()) {
            return "AW: ";
        }
        if (this == UKRAINIAN && random.nextInt(3) == 0) {
            return "Відп: ";
        }
        return "Re: ";
    }
}
