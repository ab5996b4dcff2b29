package io.persistiqsync.simulator;

import static io.persistiqsync.simulator.SamplePools.slug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the lead with a given creation index, as it was generated, from the seed alone. Nothing is
 * stored: the same index always gives the same lead, so a million leads cost no memory.
 */
final class LeadGenerator {

    /** The default lead fields of every company (contract §4.2), in the order {@code data} lists them. */
    static final List<String> STANDARD_FIELDS = List.of(
            "company_name", "email", "first_name", "last_name", "address", "city", "state", "phone", "title",
            "industry", "snippet", "snippet2", "snippet3", "snippet4", "linkedin", "twitter");

    /** Every e-mail ends with the lead's index before the {@code @}, which makes lookup by e-mail cheap. */
    private static final Pattern EMAIL_INDEX = Pattern.compile("(\\d{1,10})@[^@]*$");
    /** One lead in this many carries a snippet longer than 2,000 characters. */
    private static final int LONG_TEXT_EVERY = 97;
    private static final Instant LAST_SENT_FROM = Instant.parse("2014-01-01T00:00:00Z");
    private static final long LAST_SENT_SPAN_SECONDS = Duration.ofDays(11 * 365).toSeconds();

    private static final long PERSON = Seeds.stream("lead.person");
    private static final long DETAILS = Seeds.stream("lead.details");
    private static final long STATUS = Seeds.stream("lead.status");

    /** Name and address of a lead: drawn apart from the rest so that e-mail lookups stay cheap. */
    record Person(String firstName, String lastName, String email) {
    }

    private final long seed;
    private final IdCodec ids;
    private final List<String> statusNames;
    private final List<String> userIds;

    /**
     * @param statusNames the account's lead status names
     * @param userIds     the users that own and create leads
     */
    LeadGenerator(long seed, List<String> statusNames, List<String> userIds) {
        this.seed = seed;
        this.ids = new IdCodec("l_", seed);
        this.statusNames = List.copyOf(statusNames);
        this.userIds = List.copyOf(userIds);
    }

    String id(int index) {
        return ids.encode(index);
    }

    /** The index an id stands for, or -1 when it is no lead id. */
    int indexOf(String id) {
        long index = ids.decode(id);
        return index > Integer.MAX_VALUE ? -1 : (int) index;
    }

    /** The index written into a generated e-mail address, or -1 (the address may not be generated). */
    static int indexInEmail(String email) {
        Matcher matcher = EMAIL_INDEX.matcher(email);
        if (!matcher.find()) {
            return -1;
        }
        long index = Long.parseLong(matcher.group(1));
        return index > Integer.MAX_VALUE ? -1 : (int) index;
    }

    /** The status name of a generated lead, or null; cheap, so status filters need not build leads. */
    String statusName(int index) {
        long hash = Seeds.hash(seed, STATUS, index);
        if (statusNames.isEmpty() || Math.floorMod(hash, 20) == 0) {
            return null;
        }
        return statusNames.get(Math.floorMod(hash >>> 8, statusNames.size()));
    }

    Person person(int index) {
        SplittableRandom random = Seeds.random(seed, PERSON, index);
        String first = Seeds.chance(random, 3) ? null : Seeds.pick(random, SamplePools.FIRST_NAMES);
        String last = Seeds.chance(random, 5) ? null : Seeds.pick(random, SamplePools.LAST_NAMES);
        String domain = Seeds.pick(random, SamplePools.EMAIL_DOMAINS);
        // a few addresses carry a '+', which a client must encode when it filters by e-mail
        String local = Seeds.chance(random, 2) ? slug(first) + "+" + index : slug(first) + "." + slug(last) + index;
        return new Person(first, last, local + "@" + domain);
    }

    /**
     * The lead as generated.
     *
     * @param customFields the custom fields the lead's {@code data} carries, after the standard ones
     */
    ObjectNode lead(int index, List<String> customFields) {
        SplittableRandom random = Seeds.random(seed, DETAILS, index);
        Person person = person(index);
        ObjectNode lead = Json.object();
        lead.put("id", id(index));
        lead.put("status", statusName(index));
        ObjectNode data = lead.putObject("data");
        data.put("company_name", orNull(random, 5, SamplePools.COMPANIES));
        data.put("email", person.email());
        data.put("first_name", person.firstName());
        data.put("last_name", person.lastName());
        data.put("address", orNull(random, 40, SamplePools.ADDRESSES));
        data.put("city", orNull(random, 30, SamplePools.CITIES));
        data.put("state", orNull(random, 30, SamplePools.STATES));
        data.put("phone", Seeds.chance(random, 50) ? null : phone(random));
        data.put("title", orNull(random, 10, SamplePools.TITLES));
        data.put("industry", orNull(random, 20, SamplePools.INDUSTRIES));
        data.put("snippet", orNull(random, 20, SamplePools.SNIPPETS));
        data.put("snippet2", index % LONG_TEXT_EVERY == 3
                ? SamplePools.longText(random, 2_100)
                : orNull(random, 70, SamplePools.SNIPPETS));
        data.put("snippet3", orNull(random, 90, SamplePools.SNIPPETS));
        data.putNull("snippet4");
        data.put("linkedin", Seeds.chance(random, 50)
                ? null : "https://www.linkedin.com/in/" + slug(person.firstName()) + "-" + index);
        data.put("twitter", Seeds.chance(random, 70) ? null : "@" + slug(person.firstName()) + index);
        for (String field : customFields) {
            data.set(field, customValue(index, field));
        }
        lead.put("creator_id", userIds.isEmpty() || Seeds.chance(random, 5) ? null : Seeds.pick(random, userIds));
        lead.put("owner_id", userIds.isEmpty() ? null : Seeds.pick(random, userIds));
        lead.put("bounced", Seeds.chance(random, 3));
        lead.put("optedout", Seeds.chance(random, 2));
        Integer sent = Seeds.chance(random, 10) ? null : random.nextInt(13);
        lead.put("sent_count", sent);
        lead.put("replied_count", sent == null ? null : random.nextInt(Math.min(sent, 3) + 1));
        lead.put("last_sent_at", sent == null || sent == 0 ? null : Timestamps.rails(
                LAST_SENT_FROM.plusSeconds(random.nextLong(LAST_SENT_SPAN_SECONDS)),
                Seeds.pick(random, SamplePools.OFFSETS)));
        return lead;
    }

    /**
     * A custom field's value for a lead. Drawn from its own stream per field, so adding a field later
     * leaves the values of the others unchanged.
     */
    JsonNode customValue(int index, String field) {
        SplittableRandom random = Seeds.random(seed, Seeds.stream("custom:" + field), index);
        return Seeds.chance(random, 25)
                ? JsonNodeFactory.instance.nullNode()
                : JsonNodeFactory.instance.textNode(Seeds.pick(random, SamplePools.CUSTOM_VALUES));
    }

    private static String orNull(SplittableRandom random, int nullPercent, List<String> pool) {
        return Seeds.chance(random, nullPercent) ? null : Seeds.pick(random, pool);
    }

    private static String phone(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> String.format("+1 (555) 01%02d-%04d", random.nextInt(100), random.nextInt(10_000));
            case 1 -> String.format("+44 20 7946 0%03d", random.nextInt(1_000));
            default -> String.format("+81 3-%04d-%04d", random.nextInt(10_000), random.nextInt(10_000));
        };
    }
}
