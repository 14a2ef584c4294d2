package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A publisher's own cache from subject bytes to the subject's string, its sublist result and its publish
 * permission, so a repeated PUB allocates nothing. Entries are valid for one sublist generation; the
 * permission decision survives generation changes because it depends only on the subject.
 */
final class MatchCache {
    private static final int SIZE = 256;

    static final byte UNKNOWN = 0;
    static final byte ALLOWED = 1;
    static final byte DENIED = 2;

    static final class Entry {
        byte[] key;
        String subject;
        SublistResult result;
        long generation;
        byte publish;
    }

    private final Entry[] table = new Entry[SIZE];

    Entry lookup(byte[] b, int off, int len, Sublist sublist) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        int slot = (h ^ (h >>> 16)) & (SIZE - 1);
        Entry e = table[slot];
        long generation = sublist.generation();
        if (e != null && Arrays.equals(e.key, 0, e.key.length, b, off, off + len)) {
            if (e.generation != generation) {
                e.result = sublist.match(e.subject);
                e.generation = generation;
            }
            return e;
        }
        if (e == null) {
            e = new Entry();
            table[slot] = e;
        }
        e.key = Arrays.copyOfRange(b, off, off + len);
        e.subject = new String(e.key, StandardCharsets.UTF_8);
        e.result = sublist.match(e.subject);
        e.generation = generation;
        e.publish = UNKNOWN;
        return e;
    }
}
