package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The account's users (contract §4.1). Archived users leave {@code GET /v1/users} but stay known, as
 * creators of campaigns and authors of events. Thread-safe.
 */
final class UserStore {

    record Mailbox(String id, String email) {
    }

    record User(int index, String id, String name, String email, boolean activated, String salesforceId,
            List<Mailbox> mailboxes) {

        String defaultMailboxId() {
            return mailboxes.isEmpty() ? null : mailboxes.get(0).id();
        }

        /** {@code {id, name, email}}: how campaigns and events refer to a user. */
        ObjectNode summary() {
            ObjectNode summary = Json.object();
            summary.put("id", id);
            summary.put("name", name);
            summary.put("email", email);
            return summary;
        }
    }

    private static final long USER = Seeds.stream("user");
    private static final int MAX_MAILBOXES = 2;

    private final long seed;
    private final IdCodec userIds;
    private final IdCodec mailboxIds;
    private final List<User> users = new ArrayList<>(); // guarded by this; position = index
    private final Set<Integer> archived = new HashSet<>(); // guarded by this

    UserStore(long seed, int count) {
        this.seed = seed;
        this.userIds = new IdCodec("u_", seed);
        this.mailboxIds = new IdCodec("mbox_", seed);
        for (int i = 0; i < count; i++) {
            users.add(generate(i));
        }
    }

    synchronized List<User> all() {
        return List.copyOf(users);
    }

    synchronized List<User> live() {
        return IntStream.range(0, users.size()).filter(i -> !archived.contains(i)).mapToObj(users::get).toList();
    }

    synchronized String add() {
        User user = generate(users.size());
        users.add(user);
        return user.id();
    }

    synchronized void archive(String id) {
        long index = userIds.decode(id);
        if (index < 0 || index >= users.size() || !archived.add((int) index)) {
            throw new NoSuchElementException("no live user " + id);
        }
    }

    /** The user as {@code GET /v1/users} shows it; each mailbox lists the campaigns that send from it. */
    static ObjectNode json(User user, Map<String, List<String>> campaignIdsByMailbox) {
        ObjectNode json = user.summary();
        json.put("activated", user.activated());
        json.put("default_mailbox_id", user.defaultMailboxId());
        json.put("salesforce_id", user.salesforceId());
        ArrayNode mailboxes = json.putArray("mailboxes");
        for (Mailbox mailbox : user.mailboxes()) {
            ObjectNode item = mailboxes.addObject();
            item.put("id", mailbox.id());
            item.put("email", mailbox.email());
            ArrayNode campaignIds = item.putArray("campaign_ids");
            campaignIdsByMailbox.getOrDefault(mailbox.id(), List.of()).forEach(campaignIds::add);
        }
        return json;
    }

    private User generate(int index) {
        SplittableRandom random = Seeds.random(seed, USER, index);
        String name = Seeds.pick(random, SamplePools.USER_NAMES);
        String local = SamplePools.slug(name.split(" ")[0]) + index;
        String email = local + "@punctual.example";
        // salesforce_id is seen as null, as "" and as a real id (contract §4.1)
        String salesforceId = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> "";
            default -> "0051t000" + Long.toString(random.nextLong(Long.MAX_VALUE), 36);
        };
        // the first user always has a mailbox, so that campaigns have someone to send from
        int mailboxCount = index == 0 ? 1 : Seeds.chance(random, 20) ? 0 : 1 + random.nextInt(MAX_MAILBOXES);
        List<Mailbox> mailboxes = new ArrayList<>();
        for (int j = 0; j < mailboxCount; j++) {
            String address = j == 0 ? email : local + "+" + j + "@punctual.example";
            mailboxes.add(new Mailbox(mailboxIds.encode((long) index * MAX_MAILBOXES + j), address));
        }
        boolean activated = index == 0 || !Seeds.chance(random, 20);
        return new User(index, userIds.encode(index), name, email, activated, salesforceId, List.copyOf(mailboxes));
    }
}
