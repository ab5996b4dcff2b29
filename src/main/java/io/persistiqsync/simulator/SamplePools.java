package io.persistiqsync.simulator;

import java.text.Normalizer;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The raw material of generated records. The pools mix ordinary values with the ones that break
 * careless clients: accents, CJK, emoji, quotes, backslashes, tabs, new lines, SQL, blanks and the
 * string "null".
 */
final class SamplePools {

    static final List<String> FIRST_NAMES = List.of(
            "Ana", "José", "Zoë", "Łukasz", "Søren", "Chloé", "Mohammed", "Aiko", "Ægir", "Björn", "Fatima", "Wei",
            "Olusegun", "Priya", "Siobhán", "Renée", "Jürgen", "María", "Émile", "Дмитрий", "さくら", "李",
            "Nguyễn Văn", "Tiana", "Gabriel", "Ólafur", "Anne-Marie", "Jean Luc");

    static final List<String> LAST_NAMES = List.of(
            "García", "Müller", "O'Brien", "Smith", "van der Berg", "Da Silva", "王", "佐藤", "Kowalski", "Ødegaard",
            "Núñez", "Ivanov", "Đorđević", "Johnson", "D'Angelo", "Łęcka", "Tanaka", "Eichmann", "Rossmann",
            "Nakamura-Smith");

    static final List<String> COMPANIES = List.of(
            "Mo Coffee", "Acme, Inc.", "Café ☕ Ltd", "🚀 Rocket Labs", "株式会社サンプル", "Müller & Söhne GmbH",
            "\"Quoted\" Corp", "O'Reilly Partners", "Σίγμα Α.Ε.", "北京示例科技有限公司", "Robert'); DROP TABLE leads;--",
            "Punctual", "Tab\tSeparated LLC", "Multi\nLine Holdings", "Back\\slash Studio", "Ünïcödé Systems");

    static final List<String> EMAIL_DOMAINS = List.of(
            "example.com", "example.org", "example.net", "mail.example.co.uk", "sub.example.io");

    static final List<String> ADDRESSES = List.of(
            "1 Infinite Loop", "Straße des 17. Juni 135", "221B Baker Street", "1600 Amphitheatre Pkwy, Suite #100",
            "Rua Augusta, 1234 – Apto 5", "〒100-0001 千代田1-1", "PO Box 42");

    static final List<String> CITIES = List.of(
            "São Paulo", "Zürich", "東京", "New York", "Kraków", "Reykjavík", "Montréal", "Москва", "Cape Town", "Austin");

    static final List<String> STATES = List.of("CA", "NY", "TX", "Île-de-France", "Bayern", "QC", "東京都", "");

    static final List<String> TITLES = List.of(
            "VP of Sales", "CEO & Founder", "Head of Growth", "Directeur Général", "Software Engineer",
            "Chief Happiness Officer 😊", "Marketing Manager", "");

    static final List<String> INDUSTRIES = List.of(
            "Software", "Coffee & Tea", "Financial Services", "Non-profit", "Manufacturing", "Santé", "E-commerce");

    static final List<String> SNIPPETS = List.of(
            "Loved your talk at SaaStr!", "Congrats on the Series A 🎉", "Saw you're hiring <b>SDRs</b> — we can help.",
            "Line one\nLine two", "He said \"hi\" and left", "Bonjour, ça va ?", "你好，期待与您合作。",
            "Tabs\tand\\backslashes");

    /** Values of custom fields, whatever the field: the type of a custom field is unknown to a client. */
    static final List<String> CUSTOM_VALUES = List.of(
            "blue", "vert", "紅", "🟣 purple", "yes", "no", "https://www.linkedin.com/in/sample-profile", "N/A", "",
            "  padded  ", "42", "Société Générale", "O'Neil", "Ω", "null", "true");

    static final List<String> USER_NAMES = List.of(
            "Tiana Eichmann MD", "Gabriel Rossmann", "Zoë Ångström", "山田 太郎", "Seán Ó Briain", "Priya Natarajan",
            "Marcus Lee");

    static final List<String> CAMPAIGN_NAMES = List.of(
            "Streamer Outreach", "Q3 — Café owners ☕", "Ünïcödé follow-up", "Re-engage \"cold\" leads", "日本市場 2024",
            "SaaS founders / seed stage", "Webinar invite #4");

    static final List<String> LEAD_STATUSES = List.of(
            "active", "engaged", "replied", "interested", "not interested", "bounced", "opted out", "à rappeler");

    static final List<String> DNC_DOMAINS = List.of(
            "example.com", "competitor.io", "münchen.de", "xn--mnchen-3ya.de", "gov.uk", "do-not-email.net");

    static final List<String> TAGS = List.of(
            "VIP", "Follow up", "hot lead 🔥", "Ünïcode", "2024 Q1", "needs-review", "Partner / Reseller");

    static final List<String> SENTIMENTS = List.of("positive", "neutral", "negative");

    /** Offsets a company's users work in; Rails renders times in the user's zone. */
    static final List<ZoneOffset> OFFSETS = List.of(
            ZoneOffset.ofHours(-7), ZoneOffset.ofHours(-4), ZoneOffset.UTC, ZoneOffset.ofHours(1),
            ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHours(9));

    private static final String PARAGRAPH =
            "Hi there — I noticed your team is growing fast (congrats! 🎉). We help companies like yours "
                    + "book more meetings: «Ça marche très bien», says one customer; another wrote 「とても良い」. "
                    + "Would a 15-minute call next week work? Reply \"yes\" or \\stop\\ to opt out.\n";

    private static final Map<String, String> SLUGS = new ConcurrentHashMap<>();

    private SamplePools() {
    }

    /** A text longer than {@code minimumLength}, e.g. to exceed the 2,000 characters clients truncate at. */
    static String longText(SplittableRandom random, int minimumLength) {
        StringBuilder text = new StringBuilder();
        int paragraph = 1;
        while (text.length() < minimumLength) {
            text.append(paragraph++).append(". ").append(PARAGRAPH);
        }
        int extra = random.nextInt(2_000);
        for (int i = 0; i < extra / PARAGRAPH.length(); i++) {
            text.append(paragraph++).append(". ").append(PARAGRAPH);
        }
        return text.toString();
    }

    /** The ASCII letters of a name, for e-mail addresses; "lead" when none are left (CJK, Cyrillic). */
    static String slug(String name) {
        // names come from the pools above, so the cache stays small; it saves a Unicode normalisation
        // and two regular expressions several times per generated lead
        return name == null ? "lead" : SLUGS.computeIfAbsent(name, SamplePools::asciiLetters);
    }

    private static String asciiLetters(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z]", "");
        return ascii.isEmpty() ? "lead" : ascii;
    }
}
