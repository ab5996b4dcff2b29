package io.persistiqsync.simulator;

import java.math.BigInteger;

/**
 * Turns a record's creation index into a PersistIQ-style id (prefix plus 6 mixed-case alphanumerics,
 * contract §9) and back.
 *
 * <p>The mapping is an affine bijection on [0, 62^6): index times an odd multiplier coprime with 62,
 * plus an offset, both derived from the seed. Being a bijection it needs no table: ids are unique and
 * stable for a seed, and an id decodes to its index, which is what lets a million leads live without
 * being stored.
 */
final class IdCodec {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int LENGTH = 6;
    private static final long SPACE = 56_800_235_584L; // 62^6
    /** Keeps multiplier * index below 2^63 for every index in the space. */
    private static final long MULTIPLIER_RANGE = 1L << 26;

    private final String prefix;
    private final long multiplier;
    private final long offset;
    private final BigInteger inverse;

    IdCodec(String prefix, long seed) {
        this.prefix = prefix;
        long hash = Seeds.hash(seed, Seeds.stream("id:" + prefix), 0);
        long candidate = 1_000_003L + 2 * Math.floorMod(hash, MULTIPLIER_RANGE); // odd, so coprime with 2
        this.multiplier = candidate % 31 == 0 ? candidate + 2 : candidate;        // and with 31 (62 = 2 * 31)
        this.offset = Math.floorMod(Seeds.mix(hash), SPACE);
        this.inverse = BigInteger.valueOf(multiplier).modInverse(BigInteger.valueOf(SPACE));
    }

    String encode(long index) {
        long value = Math.floorMod(multiplier * index + offset, SPACE);
        char[] digits = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            digits[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        return prefix + new String(digits);
    }

    /** The index an id was made from, or -1 when the text is not an id of this kind. */
    long decode(String id) {
        if (id == null || id.length() != prefix.length() + LENGTH || !id.startsWith(prefix)) {
            return -1;
        }
        long value = 0;
        for (int i = prefix.length(); i < id.length(); i++) {
            int digit = ALPHABET.indexOf(id.charAt(i));
            if (digit < 0) {
                return -1;
            }
            value = value * 62 + digit;
        }
        return BigInteger.valueOf(Math.floorMod(value - offset, SPACE))
                .multiply(inverse)
                .mod(BigInteger.valueOf(SPACE))
                .longValueExact();
    }
}
