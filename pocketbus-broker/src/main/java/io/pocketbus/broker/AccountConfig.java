package io.pocketbus.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an account shares with others and takes from them, as nats-server's {@code exports} and
 * {@code imports}. An import only takes effect while the exporting account has a matching export open to
 * the importer.
 *
 * @param name the account name, as {@code Grant.account} names it
 * @param streamExports subjects whose messages other accounts may receive
 * @param serviceExports subjects other accounts may send requests to
 * @param streamImports messages taken from another account's stream export
 * @param serviceImports another account's service made callable here
 */
public record AccountConfig(
        String name,
        List<StreamExport> streamExports,
        List<ServiceExport> serviceExports,
        List<StreamImport> streamImports,
        List<ServiceImport> serviceImports) {

    public AccountConfig {
        Objects.requireNonNull(name);
        streamExports = List.copyOf(streamExports);
        serviceExports = List.copyOf(serviceExports);
        streamImports = List.copyOf(streamImports);
        serviceImports = List.copyOf(serviceImports);
    }

    /** An account with no exports or imports. */
    public static AccountConfig named(String name) {
        return new AccountConfig(name, List.of(), List.of(), List.of(), List.of());
    }

    public AccountConfig withStreamExport(StreamExport export) {
        return new AccountConfig(name, plus(streamExports, export), serviceExports, streamImports, serviceImports);
    }

    public AccountConfig withServiceExport(ServiceExport export) {
        return new AccountConfig(name, streamExports, plus(serviceExports, export), streamImports, serviceImports);
    }

    public AccountConfig withStreamImport(StreamImport i) {
        return new AccountConfig(name, streamExports, serviceExports, plus(streamImports, i), serviceImports);
    }

    public AccountConfig withServiceImport(ServiceImport i) {
        return new AccountConfig(name, streamExports, serviceExports, streamImports, plus(serviceImports, i));
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(Objects.requireNonNull(item));
        return out;
    }

    /** How many responses a service request may get back through an import. */
    public enum ResponseType {
        /** One response, then the reply route is gone (nats-server's default). */
        SINGLETON,
        /** Any number of responses until the response threshold (2 minutes) passes. */
        STREAM
    }

    /**
     * @param subject exported subject, wildcards allowed
     * @param accounts the accounts that may import it; empty means every account
     */
    public record StreamExport(String subject, List<String> accounts) {
        public StreamExport {
            requireSubject(subject);
            accounts = List.copyOf(accounts);
        }
    }

    /**
     * @param subject exported request subject, wildcards allowed
     * @param accounts the accounts that may import it; empty means every account
     * @param responseType how many responses a request may receive
     */
    public record ServiceExport(String subject, List<String> accounts, ResponseType responseType) {
        public ServiceExport {
            requireSubject(subject);
            accounts = List.copyOf(accounts);
            Objects.requireNonNull(responseType);
        }
    }

    /**
     * @param account the exporting account
     * @param subject the subject (within the export) to receive
     * @param prefix prepended (with a dot) to the subject in this account, as nats-server's {@code prefix}
     * @param to the subject messages appear under in this account, as nats-server's {@code to}: its {@code *}
     *     and {@code >} take what the wildcards of {@code subject} matched in order, {@code $n} or
     *     {@code {{wildcard(n)}}} the n-th of them; not together with a prefix
     */
    public record StreamImport(String account, String subject, Optional<String> prefix, Optional<String> to) {
        public StreamImport {
            Objects.requireNonNull(account);
            requireSubject(subject);
            prefix.ifPresent(AccountConfig::requireSubject);
            to.ifPresent(t -> requireMapping(subject, t));
            if (prefix.isPresent() && to.isPresent()) {
                throw new IllegalArgumentException("a stream import has either a prefix or 'to', not both");
            }
        }

        /** An import under the exporter's subject, or with a prefix. */
        public StreamImport(String account, String subject, Optional<String> prefix) {
            this(account, subject, prefix, Optional.empty());
        }
    }

    /**
     * @param account the exporting account
     * @param subject the subject (within the export) requests are delivered to there
     * @param to the subject requesters use here; the same subject when empty. The wildcards of {@code to}
     *     fill the wildcards of {@code subject} in order, or {@code subject} names them as {@code $n}
     */
    public record ServiceImport(String account, String subject, Optional<String> to) {
        public ServiceImport {
            Objects.requireNonNull(account);
            requireSubject(subject);
            to.ifPresent(t -> requireMapping(t, subject));
        }
    }

    /** A mapping's target may only refer to wildcards its source has. */
    private static void requireMapping(String from, String to) {
        requireSubject(from);
        if (!SubjectMapping.isValid(from, to)) {
            throw new IllegalArgumentException("cannot map " + from + " to " + to);
        }
    }

    private static void requireSubject(String subject) {
        if (!Subjects.isValidSubject(subject)) {
            throw new IllegalArgumentException("invalid subject: " + subject);
        }
    }
}
