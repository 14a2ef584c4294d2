package io.pocketbus.bridge;

import io.pocketbus.broker.CredsFile;

/**
 * A credential just issued: its user JWT and nkey seed, handed out this once and never stored. The seed is
 * kept out of {@link #toString()}.
 */
public record IssuedCredential(CredentialInfo info, String jwt, String seed) {

    /** The JWT and seed as a NATS {@code .creds} file, as nsc renders it. */
    public String credsFile() {
        return new CredsFile(jwt, seed).render();
    }

    @Override
    public String toString() {
        return "IssuedCredential[" + info + "]";
    }
}
