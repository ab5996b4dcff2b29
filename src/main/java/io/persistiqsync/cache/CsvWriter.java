package io.persistiqsync.cache;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * CSV with RFC 4180 quoting, line by line to a writer (nothing is held but the current row). NULL is
 * an empty unquoted field and the empty string a quoted one ({@code ""}), as DuckDB writes them too,
 * so readers that care (DuckDB, pandas with keep_default_na=False) can tell them apart. Lines end in
 * {@code \n}, also like DuckDB's own CSV.
 */
final class CsvWriter {
    private final Writer out;

    CsvWriter(Writer out) {
        this.out = out;
    }

    void writeRow(List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.write(',');
            out.write(field(values.get(i)));
        }
        out.write('\n');
    }

    /** One field: quoted when empty or when it holds a comma, a quote or a line break. */
    static String field(String value) {
        if (value == null) return "";
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
