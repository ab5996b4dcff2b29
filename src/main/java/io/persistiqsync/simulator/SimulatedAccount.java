package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One PersistIQ company's data, generated deterministically from {@link SimulatorSettings#seed()},
 * and the changes tests make to it. All methods are thread-safe and take effect on the next request.
 *
 * <p>Leads are not held in memory: a lead is rebuilt from its index when asked for, and only changes
 * (edited, added, removed leads) are kept. Leads and every other list are served in creation order.
 * Generated leads were created and updated in the past (2019-2024); every change is stamped with the
 * current time, which is what {@code updated_after} and {@code created_after} compare against.
 */
public final class SimulatedAccount {

    private final Catalog catalog;
    private final UserStore users;
    private final LeadStore leads;
    private final CampaignStore campaigns;
    private final EventGenerator events;

    public SimulatedAccount(SimulatorSettings settings) {
        long seed = settings.seed();
        this.catalog = new Catalog(seed, settings.dncDomains(), settings.tags());
        this.users = new UserStore(seed, settings.users());
        List<UserStore.User> initialUsers = users.all();
        LeadGenerator generator = new LeadGenerator(seed, catalog.statusNames(),
                initialUsers.stream().map(UserStore.User::id).toList());
        this.leads = new LeadStore(seed, generator, catalog, settings.leads(), settings.customLeadFields());
        this.campaigns = new CampaignStore(settings, initialUsers, leads, generator, settings.leads());
        this.events = new EventGenerator(seed, settings.events(), initialUsers, campaigns.all(), generator,
                settings.leads());
    }

    // ---- leads ----

    /** Leads that {@code GET /v1/leads} lists now. */
    public int liveLeadCount() {
        return leads.liveCount();
    }

    /** Ids of all live leads in list order; walks every lead, so slow for big accounts. */
    public List<String> liveLeadIds() {
        return leads.liveIds();
    }

    /** A copy of a live lead's JSON, by id or e-mail address; null when there is no such live lead. */
    public JsonNode lead(String id) {
        ObjectNode lead = leads.find(id);
        return lead == null ? null : lead.deepCopy();
    }

    /**
     * Changes data fields (title and snippet) of {@code n} live leads spread evenly over the list, and
     * gives them any custom field added since they were made.
     *
     * @return the ids of the changed leads
     */
    public List<String> editLeads(int n) {
        return leads.edit(n);
    }

    /** Creates {@code n} leads at the end of the list; they carry every current custom field. */
    public List<String> addLeads(int n) {
        return leads.add(n);
    }

    /** Removes {@code n} live leads spread evenly over the list; they vanish from every list. */
    public List<String> removeLeads(int n) {
        return leads.remove(n);
    }

    /** Brings a removed lead back unchanged, but updated now. */
    public void restoreLead(String id) {
        leads.restore(id);
    }

    /** Adds a custom lead field: it appears in {@code lead_fields} and in the data of new and edited leads. */
    public void addCustomLeadField(String name) {
        leads.addCustomField(name);
    }

    /** Sets {@code data.<field>} of a live lead (any field name; null means JSON null); updated now. */
    public void setLeadField(String id, String field, JsonNode value) {
        leads.setField(id, field, value);
    }

    /** Sets a top-level field of a live lead (null removes it), e.g. a value of the wrong type; updated now. */
    public void setLeadAttribute(String id, String field, JsonNode value) {
        leads.setAttribute(id, field, value);
    }

    // ---- users ----

    /** Ids of the users {@code GET /v1/users} lists now. */
    public List<String> userIds() {
        return users.live().stream().map(UserStore.User::id).toList();
    }

    /** @return the new user's id */
    public String addUser() {
        return users.add();
    }

    /** Archives a user: it leaves {@code GET /v1/users} but its campaigns and events still name it. */
    public void removeUser(String id) {
        users.archive(id);
    }

    // ---- campaigns ----

    /** Ids of the campaigns {@code GET /v1/campaigns} lists now. */
    public List<String> campaignIds() {
        return campaigns.liveIds();
    }

    /** Renames a campaign. */
    public void editCampaign(String id) {
        campaigns.edit(id);
    }

    /** Removes a campaign: it leaves the list and its leads and replies endpoints answer 404. */
    public void removeCampaign(String id) {
        campaigns.remove(id);
    }

    // ---- for the routes ----

    Catalog catalog() {
        return catalog;
    }

    LeadStore leadStore() {
        return leads;
    }

    CampaignStore campaignStore() {
        return campaigns;
    }

    EventGenerator eventGenerator() {
        return events;
    }

    List<ObjectNode> usersJson() {
        Map<String, List<String>> campaignIdsByMailbox = campaigns.campaignIdsByMailbox();
        return users.live().stream().map(user -> UserStore.json(user, campaignIdsByMailbox)).toList();
    }
}
