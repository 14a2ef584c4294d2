package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Cross-checks our nkey codec and Ed25519 use against jnats' {@code io.nats.client.NKey}. */
class NKeyTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static io.nats.client.NKey jnatsKey(NKey.Type type) throws Exception {
        return switch (type) {
            case OPERATOR -> io.nats.client.NKey.createOperator(RANDOM);
            case ACCOUNT -> io.nats.client.NKey.createAccount(RANDOM);
            case USER -> io.nats.client.NKey.createUser(RANDOM);
            case SERVER -> io.nats.client.NKey.createServer(RANDOM);
            case CLUSTER -> io.nats.client.NKey.createCluster(RANDOM);
        };
    }

    @ParameterizedTest
    @EnumSource(NKey.Type.class)
    void decodesJnatsSeedsToTheSamePublicKey(NKey.Type type) throws Exception {
        io.nats.client.NKey theirs = jnatsKey(type);
        NKey ours = NKey.fromSeed(new String(theirs.getSeed()));

        assertThat(ours.type()).isEqualTo(type);
        assertThat(ours.publicKey()).isEqualTo(new String(theirs.getPublicKey()));
        assertThat(ours.seed()).contains(new String(theirs.getSeed()));
        assertThat(NKey.isValidPublicKey(ours.publicKey(), type)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(NKey.Type.class)
    void jnatsReadsOurSeeds(NKey.Type type) throws Exception {
        NKey ours = NKey.create(type, RANDOM);
        io.nats.client.NKey theirs = io.nats.client.NKey.fromSeed(ours.seed().orElseThrow().toCharArray());

        assertThat(new String(theirs.getPublicKey())).isEqualTo(ours.publicKey());
        assertThat(ours.publicKey()).hasSize(56).startsWith(prefixLetter(type));
        assertThat(ours.seed().orElseThrow()).hasSize(58).startsWith("S" + prefixLetter(type));
    }

    private static String prefixLetter(NKey.Type type) {
        return switch (type) {
            case OPERATOR -> "O";
            case ACCOUNT -> "A";
            case USER -> "U";
            case SERVER -> "N";
            case CLUSTER -> "C";
        };
    }

    @Test
    void signaturesVerifyBothWays() throws Exception {
        io.nats.client.NKey theirs = io.nats.client.NKey.createUser(RANDOM);
        NKey ours = NKey.fromSeed(new String(theirs.getSeed()));
        byte[] data = "hello nats".getBytes(StandardCharsets.UTF_8);

        assertThat(ours.sign(data)).isEqualTo(theirs.sign(data));
        assertThat(theirs.verify(data, ours.sign(data))).isTrue();
        NKey verifier = NKey.fromPublicKey(new String(theirs.getPublicKey()));
        assertThat(verifier.canSign()).isFalse();
        assertThat(verifier.verify(data, theirs.sign(data))).isTrue();
        assertThat(verifier.verify("other".getBytes(StandardCharsets.UTF_8), theirs.sign(data))).isFalse();
        assertThatThrownBy(() -> verifier.sign(data)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void verifiesNonceSignaturesInUrlAndStandardBase64() throws Exception {
        io.nats.client.NKey client = io.nats.client.NKey.createUser(RANDOM);
        NKey server = NKey.fromPublicKey(new String(client.getPublicKey()));
        String nonce = "Zq3bSIYvLh2C2Oo";
        byte[] sig = client.sign(nonce.getBytes(StandardCharsets.UTF_8));

        assertThat(server.verifyNonce(nonce, Base64.getUrlEncoder().withoutPadding().encodeToString(sig))).isTrue();
        assertThat(server.verifyNonce(nonce, Base64.getUrlEncoder().encodeToString(sig))).isTrue();
        assertThat(server.verifyNonce(nonce, Base64.getEncoder().encodeToString(sig))).isTrue();
        assertThat(server.verifyNonce("another-nonce", Base64.getUrlEncoder().encodeToString(sig))).isFalse();
        assertThat(server.verifyNonce(nonce, "not base64 at all!")).isFalse();
        assertThat(server.verifyNonce(nonce, "")).isFalse();
    }

    @Test
    void rejectsCorruptKeys() throws Exception {
        String good = new String(io.nats.client.NKey.createUser(RANDOM).getPublicKey());
        char flipped = good.charAt(10) == 'A' ? 'B' : 'A';
        String corrupt = good.substring(0, 10) + flipped + good.substring(11);

        assertThatThrownBy(() -> NKey.fromPublicKey(corrupt)).hasMessageContaining("checksum");
        assertThatThrownBy(() -> NKey.fromPublicKey(good.toLowerCase())).hasMessageContaining("base32");
        assertThatThrownBy(() -> NKey.fromPublicKey(good.substring(0, 40))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NKey.fromSeed(good)).hasMessageContaining("seed");
        assertThat(NKey.isValidPublicKey(good, NKey.Type.ACCOUNT)).isFalse();
        assertThat(NKey.isValidPublicKey(corrupt, NKey.Type.USER)).isFalse();
    }

    @Test
    void crc16IsXmodem() {
        assertThat(NKeyCodec.crc16("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x31C3);
    }

    @Test
    void base32MatchesRfc4648WithoutPadding() {
        assertThat(NKeyCodec.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(new String(NKeyCodec.unbase32("MZXW6YTBOI"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
    }

    @Test
    void toStringNeverShowsTheSeed() {
        NKey key = NKey.create(NKey.Type.USER, RANDOM);
        assertThat(key.toString()).isEqualTo(key.publicKey()).doesNotContain(key.seed().orElseThrow());
    }
}
