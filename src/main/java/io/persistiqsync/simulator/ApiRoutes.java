package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/**
 * The read endpoints of the API (contract §4): finds the endpoint of a path and builds its envelope.
 * Only GET is served; the write endpoints of the real API answer 405 here.
 */
final class ApiRoutes {

    private final SimulatedAccount account;
    private final SimulatorSettings settings;
    private final String linkBase;

    /** @param linkBase scheme, host and port that {@code next_page} URLs start with */
    ApiRoutes(SimulatedAccount account, SimulatorSettings settings, String linkBase) {
        this.account = account;
        this.settings = settings;
        this.linkBase = linkBase;
    }

    /**
     * @throws ApiError for an unknown path (404), a method other than GET (405) or a bad parameter (400)
     */
    ApiResponse answer(ApiRequest request) {
        Function<ApiRequest, ApiResponse> endpoint = endpoint(request.path());
        if (endpoint == null) {
            throw ApiError.notFound("No route matches " + request.path());
        }
        if (!request.method().equals("GET")) {
            throw ApiError.methodNotAllowed(request.method(), request.path());
        }
        return endpoint.apply(request);
    }

    private Function<ApiRequest, ApiResponse> endpoint(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String[] parts = trimmed.split("/", -1); // "", "v1", resource, ...
        if (parts.length < 3 || !parts[0].isEmpty() || !parts[1].equals("v1")) {
            return null;
        }
        String resource = parts[2];
        if (parts.length == 3) {
            return switch (resource) {
                case "users" -> this::users;
                case "leads" -> this::leads;
                case "campaigns" -> this::campaigns;
                case "events" -> this::events;
                case "dnc_domains" -> request -> paged(request, "dnc_domains", account.catalog().dncDomains());
                case "tags" -> request -> paged(request, "tags", account.catalog().tags());
                case "lead_statuses" -> request -> unpaged(request, "lead_statuses", account.catalog().leadStatuses());
                case "lead_fields" -> request -> unpaged(request, "lead_fields", account.leadStore().fields());
                default -> null;
            };
        }
        if (parts.length == 4 && resource.equals("leads") && !parts[3].isEmpty()) {
            return request -> lead(parts[3]);
        }
        if (parts.length == 5 && resource.equals("campaigns")) {
            return switch (parts[4]) {
                case "leads" -> request -> campaignLeads(request, parts[3]);
                case "replies" -> request -> replies(request, parts[3]);
                default -> null;
            };
        }
        return null;
    }

    private ApiResponse users(ApiRequest request) {
        return paged(request, "users", account.usersJson());
    }

    private ApiResponse leads(ApiRequest request) {
        QueryParams params = request.params();
        int page = params.page();
        LeadFilter filter = new LeadFilter(params.instant("updated_after"), params.instant("created_after"),
                params.get("status"), params.get("status_id"), params.get("email"));
        return list(request, "leads", page, account.leadStore().page(filter, page, settings.pageSize()));
    }

    /** {@code GET /v1/leads/{id}}; the id may also be an e-mail address (contract §4.3). */
    private ApiResponse lead(String idOrEmail) {
        ObjectNode lead = account.leadStore().find(idOrEmail);
        if (lead == null) {
            throw ApiError.notFound("Lead not found: " + idOrEmail);
        }
        return new ApiResponse(Json.singleEnvelope("lead", lead), null);
    }

    private ApiResponse campaigns(ApiRequest request) {
        QueryParams params = request.params();
        List<ObjectNode> campaigns = account.campaignStore()
                .list(params.get("name"), params.get("owner_id"), params.get("lead_id"));
        return paged(request, "campaigns", campaigns);
    }

    private ApiResponse campaignLeads(ApiRequest request, String campaignId) {
        CampaignStore.Campaign campaign = campaign(campaignId);
        int page = request.params().page();
        return list(request, "campaign_leads", page,
                account.campaignStore().campaignLeads(campaign, page, settings.pageSize()));
    }

    private ApiResponse replies(ApiRequest request, String campaignId) {
        CampaignStore.Campaign campaign = campaign(campaignId);
        QueryParams params = request.params();
        int page = params.page();
        return list(request, "replies", page, CampaignStore.replies(campaign, params.get("lead_id"),
                params.instant("start_at"), params.instant("end_at"), page, settings.pageSize()));
    }

    private ApiResponse events(ApiRequest request) {
        QueryParams params = request.params();
        int page = params.page();
        EventFilter filter = new EventFilter(params.instant("start_at"), params.instant("end_at"),
                params.get("group"), params.get("campaign"), params.get("lead"), params.get("user"));
        return list(request, "events", page,
                account.eventGenerator().page(filter, settings.eventShape(), page, settings.eventsPageSize()));
    }

    private CampaignStore.Campaign campaign(String id) {
        return account.campaignStore().find(id)
                .orElseThrow(() -> ApiError.notFound("Campaign not found: " + id));
    }

    /** A list held in memory, paged with the common page size. */
    private ApiResponse paged(ApiRequest request, String key, List<? extends JsonNode> all) {
        int page = request.params().page();
        return list(request, key, page, Slice.of(all, page, settings.pageSize()));
    }

    /** {@code {status, errors, has_more, next_page, <key>: [...]}} (contract §2). */
    private ApiResponse list(ApiRequest request, String key, int page, Slice<? extends JsonNode> slice) {
        PageLinks links = new PageLinks(linkBase, request.path(), request.params().asMap());
        ObjectNode body = Json.listEnvelope();
        body.put("has_more", slice.hasMore());
        body.put("next_page", slice.hasMore() ? links.page(page + 1) : null);
        body.putArray(key).addAll(slice.items());
        return new ApiResponse(body, new ApiResponse.ListContext(key, page, links));
    }

    /** A list that takes no {@code page}: all of it, with {@code has_more} false (contract §3). */
    private ApiResponse unpaged(ApiRequest request, String key, List<? extends JsonNode> all) {
        return list(request, key, 1, new Slice<>(all, false));
    }
}
