package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The top-level {@code authorization} block: a token, or users (name/password or nkey; a lone
 * {@code user}/{@code password} pair is one of them), default permissions for users without their own, and
 * the auth timeout.
 */
public record ConfigAuthorization(Optional<ConfigSecret> token, List<ConfigUser> users,
        Permissions defaultPermissions, Optional<Duration> timeout) {

    public ConfigAuthorization {
        users = List.copyOf(users);
    }
}
