package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The account's campaigns (contract §4.8) with their enrolled leads (§4.10) and replies (§4.11).
 * A removed campaign leaves every list and its child endpoints answer 404. Thread-safe.
 */
final class CampaignStore {

    record Stats(int contacted, int reached, int opened, int replied, int bounced, int optedOut, int total) {

        ObjectNode json() {
            ObjectNode json = Json.object();
            json.put("prospects_contacted", contacted);
            json.put("prospects_reached", reached);
            json.put("prospects_opened", opened);
            json.put("prospects_replied", replied);
            json.put("prospects_bounced", bounced);
            json.put("prospects_optedout", optedOut);
            json.put("total_prospects", total); // the real key; Airbyte's schema wrongly says total_contacted
            return json;
        }
    }

    /** A reply as served, plus what its filters compare. */
    record Reply(ObjectNode json, Instant sentAt, String leadId) {
    }

    /**
     * @param creator     null when the account has no user with a mailbox
     * @param leadIndices the enrolled leads, ascending
     */
    record Campaign(int index, String id, String name, UserStore.User creator, String mailboxId, int[] leadIndices,
            Stats stats, List<Reply> replies) {

        ObjectNode json() {
            ObjectNode json = summary();
            json.set("creator", creator == null ? null : creator.summary());
            json.set("stats", stats.json());
            return json;
        }

        /** {@code {id, name}}: how events refer to a campaign. */
        ObjectNode summary() {
            ObjectNode summary = Json.object();
            summary.put("id", id);
            summary.put("name", name);
            return summary;
        }

        Campaign renamed(String newName) {
            return new Campaign(index, id, newName, creator, mailboxId, leadIndices, stats, replies);
        }

        Campaign withReplies(List<Reply> newReplies) {
            return new Campaign(index, id, name, creator, mailboxId, leadIndices, stats, List.copyOf(newReplies));
        }

        boolean enrolls(int leadIndex) {
            return Arrays.binarySearch(leadIndices, leadIndex) >= 0;
        }
    }

    private static final long CAMPAIGN = Seeds.stream("campaign");
    private static final long REPLY = Seeds.stream("reply");
    private static final Instant REPLIES_FROM = Instant.parse("2024-02-01T09:00:00Z");
    /** Replies in a campaign are this far apart at most, so they stay in creation order. */
    private static final Duration REPLY_SPACING = Duration.ofHours(7);

    private final LeadStore leads;
    private final IdCodec campaignLeadIds;
    private final int campaignLeadsPerCampaign;
    private final List<Campaign> campaigns = new ArrayList<>(); // guarded by this; position = index
    private final Set<Integer> removed = new HashSet<>(); // guarded by this

    /**
     * @param users     the users at start; creators are drawn from those with a mailbox
     * @param leadCount the generated leads, from which each campaign enrols its leads
     */
    CampaignStore(SimulatorSettings settings, List<UserStore.User> users, LeadStore leads, LeadGenerator generator,
            int leadCount) {
        this.leads = leads;
        this.campaignLeadIds = new IdCodec("cl_", settings.seed());
        this.campaignLeadsPerCampaign = settings.campaignLeadsPerCampaign();
        List<UserStore.User> senders = users.stream().filter(user -> !user.mailboxes().isEmpty()).toList();
        var generation = new Generation(settings, senders, generator, leadCount);
        for (int i = 0; i < settings.campaigns(); i++) {
            campaigns.add(generation.campaign(i));
        }
    }

    synchronized List<Campaign> all() {
        return List.copyOf(campaigns);
    }

    /** Live campaigns, filtered as {@code GET /v1/campaigns} does; a null filter does not filter. */
    synchronized List<ObjectNode> list(String name, String ownerId, String leadId) {
        int leadIndex = leadId == null ? -1 : leads.indexOf(leadId);
        return live().stream()
                .filter(c -> name == null || name.equals(c.name()))
                .filter(c -> ownerId == null || c.creator() != null && ownerId.equals(c.creator().id()))
                .filter(c -> leadId == null || c.enrolls(leadIndex) && leads.isLive(leadIndex))
                .map(Campaign::json)
                .toList();
    }

    synchronized Optional<Campaign> find(String id) {
        return live().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    synchronized List<String> liveIds() {
        return live().stream().map(Campaign::id).toList();
    }

    /** Renames a campaign (a visible change a sync must pick up). */
    synchronized void edit(String id) {
        Campaign c = find(id).orElseThrow(() -> new NoSuchElementException("no live campaign " + id));
        campaigns.set(c.index(), c.renamed(c.name() + " (edited)"));
    }

    synchronized void remove(String id) {
        Campaign c = find(id).orElseThrow(() -> new NoSuchElementException("no live campaign " + id));
        removed.add(c.index());
    }

    /** For users' mailboxes: which live campaigns send from each mailbox. */
    synchronized Map<String, List<String>> campaignIdsByMailbox() {
        Map<String, List<String>> byMailbox = new LinkedHashMap<>();
        for (Campaign c : live()) {
            if (c.mailboxId() != null) {
                byMailbox.computeIfAbsent(c.mailboxId(), key -> new ArrayList<>()).add(c.id());
            }
        }
        return byMailbox;
    }

    /** A page of {@code GET /v1/campaigns/{id}/leads}: the campaign's live leads, each in full. */
    Slice<ObjectNode> campaignLeads(Campaign campaign, int page, int size) {
        int[] enrolled = campaign.leadIndices();
        List<Integer> positions = IntStream.range(0, enrolled.length)
                .filter(j -> leads.isLive(enrolled[j]))
                .boxed()
                .toList();
        Slice<Integer> slice = Slice.of(positions, page, size);
        List<ObjectNode> items = new ArrayList<>();
        for (int j : slice.items()) {
            ObjectNode lead = leads.current(enrolled[j]);
            if (lead == null) {
                continue; // removed since the positions were taken
            }
            ObjectNode item = Json.object();
            item.put("id", campaignLeadIds.encode((long) campaign.index() * campaignLeadsPerCampaign + j));
            item.put("campaign_id", campaign.id());
            item.put("mailbox_id", campaign.mailboxId());
            item.set("lead", lead);
            items.add(item);
        }
        return new Slice<>(items, slice.hasMore());
    }

    /**
     * A page of {@code GET /v1/campaigns/{id}/replies}; {@code start}/{@code end} are inclusive bounds
     * on {@code sent_at} (contract §4.11: "on or after", "on or before").
     */
    static Slice<ObjectNode> replies(Campaign campaign, String leadId, Instant start, Instant end, int page,
            int size) {
        List<ObjectNode> matching = campaign.replies().stream()
                .filter(r -> leadId == null || leadId.equals(r.leadId()))
                .filter(r -> start == null || !r.sentAt().isBefore(start))
                .filter(r -> end == null || !r.sentAt().isAfter(end))
                .map(Reply::json)
                .toList();
        return Slice.of(matching, page, size);
    }

    private List<Campaign> live() {
        return campaigns.stream().filter(c -> !removed.contains(c.index())).toList();
    }

    /** Builds the campaigns at start; holds what only generation needs. */
    private static final class Generation {
        private final SimulatorSettings settings;
        private final List<UserStore.User> senders;
        private final LeadGenerator generator;
        private final int leadCount;
        private final IdCodec campaignIds;
        private final IdCodec replyIds;
        private final IdCodec stepMessageIds;

        Generation(SimulatorSettings settings, List<UserStore.User> senders, LeadGenerator generator, int leadCount) {
            this.settings = settings;
            this.senders = senders;
            this.generator = generator;
            this.leadCount = leadCount;
            this.campaignIds = new IdCodec("c_", settings.seed());
            // the contract names no prefix for replies; POST replies takes an inbox_message_id, hence "im_"
            this.replyIds = new IdCodec("im_", settings.seed());
            this.stepMessageIds = new IdCodec("sm_", settings.seed());
        }

        Campaign campaign(int index) {
            SplittableRandom random = Seeds.random(settings.seed(), CAMPAIGN, index);
            String name = Seeds.pick(random, SamplePools.CAMPAIGN_NAMES) + (index == 0 ? "" : " " + (index + 1));
            UserStore.User creator = senders.isEmpty() ? null : Seeds.pick(random, senders);
            String mailboxId = creator == null ? null : creator.defaultMailboxId();
            int[] enrolled = distinctSorted(random, Math.min(settings.campaignLeadsPerCampaign(), leadCount), leadCount);
            Campaign withoutReplies = new Campaign(index, campaignIds.encode(index), name, creator, mailboxId,
                    enrolled, stats(random, enrolled.length), List.of());
            return withoutReplies.withReplies(replies(withoutReplies));
        }

        private static Stats stats(SplittableRandom random, int total) {
            int contacted = random.nextInt(total + 1);
            int reached = random.nextInt(contacted + 1);
            int opened = random.nextInt(reached + 1);
            int replied = random.nextInt(opened + 1);
            int bounced = random.nextInt(contacted - reached + 1);
            int optedOut = random.nextInt(replied + 1);
            return new Stats(contacted, reached, opened, replied, bounced, optedOut, total);
        }

        private List<Reply> replies(Campaign campaign) {
            List<Reply> replies = new ArrayList<>();
            Instant campaignStart = REPLIES_FROM.plus(Duration.ofDays(campaign.index()));
            for (int j = 0; j < settings.repliesPerCampaign(); j++) {
                long number = (long) campaign.index() * settings.repliesPerCampaign() + j;
                SplittableRandom random = Seeds.random(settings.seed(), REPLY, number);
                Instant sentAt = campaignStart.plus(REPLY_SPACING.multipliedBy(j))
                        .plusSeconds(random.nextLong(REPLY_SPACING.toSeconds()));
                int[] enrolled = campaign.leadIndices();
                String leadId = enrolled.length == 0 ? null : generator.id(enrolled[j % enrolled.length]);
                String fromEmail = enrolled.length == 0 ? null : generator.person(enrolled[j % enrolled.length]).email();
                replies.add(new Reply(reply(random, campaign, replyIds.encode(number), leadId, fromEmail, sentAt, j),
                        sentAt, leadId));
            }
            return replies;
        }

        private ObjectNode reply(SplittableRandom random, Campaign campaign, String id, String leadId,
                String fromEmail, Instant sentAt, int position) {
            String text = Seeds.pick(random, SamplePools.SNIPPETS);
            ObjectNode json = Json.object();
            json.put("id", id);
            json.put("from_email", fromEmail);
            var to = json.putArray("to_emails");
            if (campaign.creator() != null) {
                to.add(campaign.creator().mailboxes().get(0).email());
            }
            var cc = json.putArray("cc_emails");
            if (position % 3 == 0) {
                cc.add("assistant+" + position + "@example.com");
            }
            json.put("subject", Seeds.chance(random, 10) ? null : "Re: " + campaign.name());
            json.put("body", "<div dir=\"ltr\"><p>" + text.replace("\n", "<br>") + "</p></div>");
            json.put("preview", text.replaceAll("<[^>]+>", ""));
            json.put("sent_at", Timestamps.rails(sentAt, Seeds.pick(random, SamplePools.OFFSETS)));
            json.put("sentiment", Seeds.chance(random, 25) ? null : Seeds.pick(random, SamplePools.SENTIMENTS));
            json.put("kind", position % 4 == 3 ? "auto_reply" : "reply");
            json.put("lead_id", leadId);
            json.put("campaign_id", campaign.id());
            json.put("step_message_id", Seeds.chance(random, 20) ? null : stepMessageIds.encode(random.nextInt(1 << 20)));
            return json;
        }

        /** {@code count} distinct values below {@code bound}, ascending (Floyd's sampling: no retries). */
        private static int[] distinctSorted(SplittableRandom random, int count, int bound) {
            Set<Integer> chosen = new HashSet<>();
            for (int j = bound - count; j < bound; j++) {
                int candidate = random.nextInt(j + 1);
                chosen.add(chosen.contains(candidate) ? j : candidate);
            }
            return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
        }
    }
}
