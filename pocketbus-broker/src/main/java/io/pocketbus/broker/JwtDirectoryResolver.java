package io.pocketbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * nats-server's directory ({@code full}) resolver: one {@code <account key>.jwt} file per account in a
 * directory; a deleted account's file is renamed to {@code <account key>.jwt.deleted}, as nats-server does
 * with {@code allow_delete}. Files are read on each lookup, so JWTs dropped in by other tools take effect.
 */
public final class JwtDirectoryResolver implements JwtAccountResolver {

    private final Path directory;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private JwtDirectoryResolver(Path directory) {
        this.directory = directory;
    }

    /** A resolver over a directory, created if missing. */
    public static JwtDirectoryResolver open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the JWT directory " + directory, e);
        }
        return new JwtDirectoryResolver(directory);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Optional<String> fetch(String accountPublicKey) {
        Optional<Path> file = fileOf(accountPublicKey, ".jwt");
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file.get(), StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the account JWT " + file.get(), e);
        }
    }

    @Override
    public boolean isDeleted(String accountPublicKey) {
        return fileOf(accountPublicKey, ".jwt.deleted").map(Files::exists).orElse(false);
    }

    @Override
    public void store(String accountJwt) {
        JwtAccountClaims claims = JwtAccountResolver.verifiedAccount(accountJwt);
        Path file = directory.resolve(claims.subject() + ".jwt");
        writeLock.lock();
        try {
            Optional<String> existing = fetch(claims.subject());
            if (existing.isPresent() && isNewer(existing.get(), claims)) {
                return;
            }
            Path temp = Files.createTempFile(directory, claims.subject(), ".tmp");
            Files.writeString(temp, accountJwt.trim(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(directory.resolve(claims.subject() + ".jwt.deleted"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the account JWT " + file, e);
        } finally {
            writeLock.unlock();
        }
        listeners.forEach(Runnable::run);
    }

    private static boolean isNewer(String storedJwt, JwtAccountClaims candidate) {
        try {
            return JwtAccountResolver.verifiedAccount(storedJwt).issuedAt().isAfter(candidate.issuedAt());
        } catch (JwtException unreadable) {
            return false;
        }
    }

    @Override
    public void delete(String accountPublicKey) {
        Path file = fileOf(accountPublicKey, ".jwt").orElseThrow(
                () -> new IllegalArgumentException("not an account public key"));
        writeLock.lock();
        try {
            if (Files.exists(file)) {
                Files.move(file, directory.resolve(accountPublicKey + ".jwt.deleted"), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.writeString(directory.resolve(accountPublicKey + ".jwt.deleted"), "", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the account JWT " + file, e);
        } finally {
            writeLock.unlock();
        }
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onUpdate(Runnable listener) {
        listeners.add(listener);
    }

    /** Only well-formed account keys become file names, so a key can never point outside the directory. */
    private Optional<Path> fileOf(String accountPublicKey, String suffix) {
        return NKey.isValidPublicKey(accountPublicKey, NKey.Type.ACCOUNT)
                ? Optional.of(directory.resolve(accountPublicKey + suffix))
                : Optional.empty();
    }
}
