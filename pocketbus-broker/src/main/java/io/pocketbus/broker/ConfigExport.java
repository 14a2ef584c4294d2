package io.pocketbus.broker;

import java.util.List;
import java.util.Optional;

/**
 * {@code accounts.X.exports[]}: {@code {stream: "a.>"}} or {@code {service: "svc.>", response_type: …}},
 * public or, with {@code accounts: [...]}, only for the named accounts.
 *
 * @param responseType for services: "singleton" (the default), "stream" or "chunked"
 */
public record ConfigExport(Kind kind, String subject, List<String> accounts, Optional<String> responseType) {

    /** A stream (messages flow to importers) or a service (importers send requests). */
    public enum Kind { STREAM, SERVICE }

    public ConfigExport {
        accounts = List.copyOf(accounts);
    }
}
