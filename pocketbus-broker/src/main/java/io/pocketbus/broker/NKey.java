package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A NATS nkey: an Ed25519 key whose text form names its role (operator {@code O…}, account {@code A…},
 * user {@code U…}, server {@code N…}, cluster {@code C…}); its seed ({@code S…}) is the private half.
 * Built from a seed it signs and verifies; built from a public key it only verifies.
 */
public final class NKey {

    /** The role of a key, by its encoded prefix byte. */
    public enum Type {
        OPERATOR(14 << 3), ACCOUNT(0), USER(20 << 3), SERVER(13 << 3), CLUSTER(2 << 3);

        private final int prefix;

        Type(int prefix) {
            this.prefix = prefix;
        }

        int prefix() {
            return prefix;
        }

        static Optional<Type> ofPrefix(int prefix) {
            for (Type t : values()) {
                if (t.prefix == prefix) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** The DER header of an X.509 SubjectPublicKeyInfo for Ed25519; the raw 32-byte key follows it. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final Type type;
    private final byte[] rawPublic;
    private final PublicKey publicKey;
    private final Optional<byte[]> rawSeed;
    private final Optional<PrivateKey> privateKey;

    private NKey(Type type, byte[] rawPublic, Optional<byte[]> rawSeed) {
        this.type = type;
        this.rawPublic = rawPublic;
        this.rawSeed = rawSeed;
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            this.publicKey = factory.generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, rawPublic)));
            this.privateKey = rawSeed.map(seed -> privateKey(factory, seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid Ed25519 key", e);
        }
    }

    /** A new random key pair of the given role. */
    public static NKey create(Type type, SecureRandom random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return fromRawSeed(type, seed);
    }

    /** The key pair an encoded seed ({@code SU…}, {@code SA…}, {@code SO…}, …) generates. */
    public static NKey fromSeed(String seed) {
        NKeyCodec.Decoded decoded = NKeyCodec.decodeSeed(seed.trim());
        return fromRawSeed(decoded.type(), decoded.raw());
    }

    /** A verify-only key from an encoded public key. */
    public static NKey fromPublicKey(String publicKey) {
        NKeyCodec.Decoded decoded = NKeyCodec.decodePublic(publicKey.trim());
        return new NKey(decoded.type(), decoded.raw(), Optional.empty());
    }

    /** Whether the text is a well-formed public key of the given role. */
    public static boolean isValidPublicKey(String publicKey, Type type) {
        try {
            return NKeyCodec.decodePublic(publicKey).type() == type;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static NKey fromRawSeed(Type type, byte[] seed) {
        return new NKey(type, derivePublic(seed), Optional.of(seed.clone()));
    }

    public Type type() {
        return type;
    }

    /** The encoded public key, e.g. {@code UD…}. */
    public String publicKey() {
        return NKeyCodec.encodePublic(type, rawPublic);
    }

    /** The encoded seed, e.g. {@code SU…}; empty for a verify-only key. */
    public Optional<String> seed() {
        return rawSeed.map(seed -> NKeyCodec.encodeSeed(type, seed));
    }

    /** Whether this key holds its seed and so can sign. */
    public boolean canSign() {
        return privateKey.isPresent();
    }

    /** The 64-byte Ed25519 signature of the data. */
    public byte[] sign(byte[] data) {
        PrivateKey key = privateKey.orElseThrow(() -> new IllegalStateException("a public nkey cannot sign"));
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether the signature is this key's signature of the data. */
    public boolean verify(byte[] data, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Whether {@code signature} (a CONNECT {@code sig}) signs the nonce string's bytes. Like nats-server it
     * reads the signature as unpadded base64url and falls back to standard base64.
     */
    public boolean verifyNonce(String nonce, String signature) {
        Optional<byte[]> sig = decodeSignature(signature);
        return sig.isPresent() && verify(nonce.getBytes(StandardCharsets.UTF_8), sig.get());
    }

    static Optional<byte[]> decodeSignature(String signature) {
        String unpadded = signature.endsWith("=") ? signature.replaceAll("=+$", "") : signature;
        try {
            return Optional.of(Base64.getUrlDecoder().decode(unpadded));
        } catch (IllegalArgumentException notUrl) {
            try {
                return Optional.of(Base64.getDecoder().decode(signature));
            } catch (IllegalArgumentException notStd) {
                return Optional.empty();
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NKey other && type == other.type && Arrays.equals(rawPublic, other.rawPublic);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(rawPublic);
    }

    /** The public key only: a seed never appears in logs. */
    @Override
    public String toString() {
        return publicKey();
    }

    private static PrivateKey privateKey(KeyFactory factory, byte[] seed) {
        try {
            return factory.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid Ed25519 seed", e);
        }
    }

    /**
     * The JDK has no public API to compute an Ed25519 public key from a seed, but its key pair generator
     * takes the seed from the random source it is given: handing it exactly our seed yields our key pair.
     */
    private static byte[] derivePublic(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedSource(seed));
            byte[] encoded = generator.generateKeyPair().getPublic().getEncoded();
            return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A random source that yields one given seed; see {@link #derivePublic}. */
    private static final class SeedSource extends SecureRandom {
        private final byte[] seed;

        SeedSource(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
