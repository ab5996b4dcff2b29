package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** RFC 4180 quoting, and NULL kept apart from the empty string. */
class CsvWriterTest {

    @Test
    void quotesOnlyWhatNeedsIt() throws Exception {
        StringWriter out = new StringWriter();
        new CsvWriter(out).writeRow(Arrays.asList("plain", null, "", "a,b", "say \"hi\"", "two\nlines", "cr\r", " spaced "));
        assertEquals("plain,,\"\",\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\", spaced \n", out.toString());
    }
}
