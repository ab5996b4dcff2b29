package io.persistiqsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Where windows start and end, and the reset they announce (issue 15: whole seconds, truncated). */
class RateLimiterTest {
    private static final Instant T = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void aWindowStartedAtAFractionOfASecondAnnouncesItsEndTruncated() {
        RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(3));
        Instant first = T.plusMillis(700);
        RateLimiter.Decision decision = limiter.acquire("k", first);
        assertEquals(T.getEpochSecond() + 3, decision.resetEpochSecond(), "the window ends at +3.7 s, announced as +3");
        assertTrue(limiter.acquire("k", first.plusMillis(100)).allowed());
        assertFalse(limiter.acquire("k", T.plusSeconds(3)).allowed(), "at the announced reset the window still runs");
        assertFalse(limiter.acquire("k", T.plusMillis(3_699)).allowed());
        assertTrue(limiter.acquire("k", T.plusMillis(3_700)).allowed(), "a new window at its real end");
    }

    @Test
    void withAPhaseEveryWindowEndsThatFarPastASecondAndTheFirstIsAWholeWindow() {
        RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(3), Duration.ofMillis(300));
        // first request at .500: the first window runs to the first .300 at least 3 s later, +3.300 + 1 s
        assertEquals(T.getEpochSecond() + 4, limiter.acquire("k", T.plusMillis(500)).resetEpochSecond());
        assertFalse(limiter.acquire("k", T.plusMillis(4_299)).allowed());
        RateLimiter.Decision second = limiter.acquire("k", T.plusMillis(4_300));
        assertTrue(second.allowed());
        assertEquals(T.getEpochSecond() + 7, second.resetEpochSecond(), "the next window: +4.3 s to +7.3 s");
        // nobody asks for two windows: the grid goes on
        RateLimiter.Decision later = limiter.acquire("k", T.plusMillis(13_400));
        assertTrue(later.allowed());
        assertEquals(T.getEpochSecond() + 16, later.resetEpochSecond(), "+13.3 s to +16.3 s");
    }

    @Test
    void aPhaseIsAFractionOfASecond() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, Duration.ofSeconds(3), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> SimulatorSettings.builder().rateLimitWindowPhase(Duration.ofMillis(-1)).build());
    }
}
