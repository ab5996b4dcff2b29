package io.persistiqsync.cache;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Column names from field names. PersistIQ users name custom lead fields freely (spaces, quotes,
 * unicode, SQL words), so names are normalised to lower snake case, and always quoted in SQL anyway.
 */
public final class ColumnNames {
    /** PostgreSQL cuts identifiers at 63 bytes; stay under it even with a collision suffix. */
    private static final int MAX_LENGTH = 48;
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern CAMEL_HUMP = Pattern.compile("([\\p{Ll}\\d])(\\p{Lu})");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{Nd}]+");
    private static final Pattern EDGE_UNDERSCORES = Pattern.compile("^_+|_+$");

    private ColumnNames() {
    }

    /** "First Name" -> first_name, "Société" -> societe, "x\"; drop table leads; --" -> x_drop_table_leads. */
    public static String normalize(String fieldName) {
        String ascii = MARKS.matcher(Normalizer.normalize(fieldName, Normalizer.Form.NFKD)).replaceAll("");
        String snake = CAMEL_HUMP.matcher(ascii).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
        snake = EDGE_UNDERSCORES.matcher(NOT_WORD.matcher(snake).replaceAll("_")).replaceAll("");
        if (snake.isEmpty()) snake = "field";
        if (Character.isDigit(snake.charAt(0))) snake = "f_" + snake;
        if (snake.codePointCount(0, snake.length()) > MAX_LENGTH) {
            snake = snake.substring(0, snake.offsetByCodePoints(0, MAX_LENGTH));
        }
        return snake;
    }
}
