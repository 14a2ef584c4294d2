package io.pocketbus.broker;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The nkey text encoding: a prefix byte that names the key's role, the 32 raw key bytes and a CRC16
 * (XMODEM, little-endian), all in RFC 4648 base32 without padding. A seed carries two prefix bytes: the
 * seed marker and the role of the key pair it generates.
 */
public final class NKeyCodec {

    /** The first five bits of an encoded seed ('S'). */
    static final int PREFIX_SEED = 18 << 3;

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int[] DECODE = new int[128];

    static {
        Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = i;
        }
    }

    private NKeyCodec() {
    }

    /** Encodes a public key of the given role. */
    public static String encodePublic(NKey.Type type, byte[] rawKey) {
        requireKeyLength(rawKey);
        byte[] payload = new byte[1 + rawKey.length];
        payload[0] = (byte) type.prefix();
        System.arraycopy(rawKey, 0, payload, 1, rawKey.length);
        return base32(withCrc(payload));
    }

    /** Encodes a 32-byte Ed25519 seed for a key pair of the given role. */
    public static String encodeSeed(NKey.Type type, byte[] rawSeed) {
        requireKeyLength(rawSeed);
        byte[] payload = new byte[2 + rawSeed.length];
        payload[0] = (byte) (PREFIX_SEED | (type.prefix() >> 5));
        payload[1] = (byte) ((type.prefix() & 0x1f) << 3);
        System.arraycopy(rawSeed, 0, payload, 2, rawSeed.length);
        return base32(withCrc(payload));
    }

    /** A decoded key: its role and its 32 raw bytes. */
    record Decoded(NKey.Type type, byte[] raw) {
    }

    /** Decodes a public key, checking its checksum and that its prefix names a known role. */
    static Decoded decodePublic(String encoded) {
        byte[] payload = checked(encoded);
        if (payload.length != 33) {
            throw new IllegalArgumentException("invalid nkey length");
        }
        NKey.Type type = NKey.Type.ofPrefix(payload[0] & 0xff)
                .orElseThrow(() -> new IllegalArgumentException("invalid nkey prefix"));
        return new Decoded(type, Arrays.copyOfRange(payload, 1, payload.length));
    }

    /** Decodes a seed, checking its checksum, its seed marker and the role of its key pair. */
    static Decoded decodeSeed(String encoded) {
        byte[] payload = checked(encoded);
        if (payload.length != 34 || (payload[0] & 0xf8) != PREFIX_SEED) {
            throw new IllegalArgumentException("invalid nkey seed");
        }
        int rolePrefix = ((payload[0] & 0x07) << 5) | ((payload[1] & 0xf8) >> 3);
        NKey.Type type = NKey.Type.ofPrefix(rolePrefix)
                .orElseThrow(() -> new IllegalArgumentException("invalid nkey seed prefix"));
        return new Decoded(type, Arrays.copyOfRange(payload, 2, payload.length));
    }

    private static byte[] checked(String encoded) {
        byte[] data = unbase32(encoded);
        if (data.length < 3) {
            throw new IllegalArgumentException("invalid nkey length");
        }
        int n = data.length - 2;
        int expected = (data[n] & 0xff) | (data[n + 1] & 0xff) << 8;
        byte[] payload = Arrays.copyOf(data, n);
        if (crc16(payload) != expected) {
            throw new IllegalArgumentException("invalid nkey checksum");
        }
        return payload;
    }

    private static byte[] withCrc(byte[] payload) {
        int crc = crc16(payload);
        byte[] out = Arrays.copyOf(payload, payload.length + 2);
        out[payload.length] = (byte) crc;
        out[payload.length + 1] = (byte) (crc >>> 8);
        return out;
    }

    /** CRC-16/XMODEM: polynomial 0x1021, initial value 0. */
    static int crc16(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }

    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }

    static byte[] unbase32(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int v = c < DECODE.length ? DECODE[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException("invalid base32 character in nkey");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    private static void requireKeyLength(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 key has 32 bytes, got " + raw.length);
        }
    }
}
