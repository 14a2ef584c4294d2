package io.pocketbus.broker;

import java.util.Optional;

/**
 * {@code accounts.X.imports[]}: {@code {stream: {account: A, subject: "a.>"}, prefix: "fromA"}} or
 * {@code {service: {account: A, subject: "svc.x"}, to: "a.svc.x"}}.
 *
 * @param to the local subject ({@code to}) the import appears under; empty = the exported subject
 * @param prefix for streams: a prefix put before the exported subject
 */
public record ConfigImport(ConfigExport.Kind kind, String account, String subject, Optional<String> to,
        Optional<String> prefix) {
}
