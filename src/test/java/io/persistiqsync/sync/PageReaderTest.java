package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.api.PaginationException;
import io.persistiqsync.state.StreamState;

/** Where a page leads, read without an exchange: the rules PageReader applies to every answer. */
class PageReaderTest {
    private static final URI HOST = URI.create("http://127.0.0.1:8080");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Integer next(String page, int current, int maxPages) throws Exception {
        return PageReader.nextPage(JSON.readTree(page), current, "leads", HOST, maxPages);
    }

    @Test
    void theLastPageLeadsNowhere() throws Exception {
        assertNull(next("{\"leads\": [], \"has_more\": false, \"next_page\": \"http://127.0.0.1:8080/v1/leads?page=4\"}", 3, 100),
                "has_more decides when present");
        assertNull(next("{\"leads\": []}", 3, 100));
        assertNull(next("{\"leads\": [], \"next_page\": \"\"}", 3, 100));
    }

    @Test
    void morePagesLeadToNextPagesNumber() throws Exception {
        assertEquals(4, next("{\"leads\": [], \"has_more\": true}", 3, 100), "no next_page: the next number");
        assertEquals(7, next("{\"leads\": [], \"has_more\": true, \"next_page\": \"/v1/leads?updated_after=x&page=7\"}", 3, 100));
        assertEquals(4, next("{\"leads\": [], \"next_page\": \"http://127.0.0.1:8080/v1/leads?page=4\"}", 3, 100),
                "without has_more, a next_page means more");
        assertEquals(4, next("{\"leads\": [], \"has_more\": \"true\"}", 3, 100), "has_more as text");
    }

    @Test
    void anotherHostGivesOnlyItsPageNumber() throws Exception {
        assertEquals(5, next("{\"leads\": [], \"has_more\": true, \"next_page\": \"https://elsewhere.example/v1/leads?page=5\"}", 4, 100));
    }

    @Test
    void aLoopOrTooManyPagesStopsTheStream() {
        PaginationException back = assertThrows(PaginationException.class,
                () -> next("{\"leads\": [], \"has_more\": true, \"next_page\": \"/v1/leads?page=2\"}", 3, 100));
        assertTrue(back.getMessage().contains("goes back to page 2 after leads"), back.getMessage());
        PaginationException tooMany = assertThrows(PaginationException.class, () -> next("{\"leads\": [], \"has_more\": true}", 10, 10));
        assertTrue(tooMany.getMessage().contains("persistiq.max-pages (10)"), tooMany.getMessage());
        assertThrows(PaginationException.class, () -> next("{\"leads\": [], \"has_more\": true, \"next_page\": \"http://a b/\"}", 1, 10));
    }

    @Test
    void aPartitionStartsAfterItsCheckpointOnly() {
        StreamState state = StreamState.empty("campaign_leads").openPass(1, StreamRun.FULL_PASS, 0, null).checkpoint("c_2", 3);
        assertEquals(4, PageReader.firstPage(state, "c_2"));
        assertEquals(1, PageReader.firstPage(state, "c_3"));
        assertEquals(1, PageReader.firstPage(StreamState.empty("leads"), null));
        assertEquals(6, PageReader.firstPage(StreamState.empty("leads").checkpoint(null, 5), null));
    }
}
