package io.pocketbus.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.broker.NKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps each project account in {@code <dataDir>/nats/projects/<projectId>.json} (owner-only: it holds the
 * account and signing key seeds), so the accounts are restored when the server starts.
 */
final class ProjectAccountFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Project ids become file names: PocketBase ids and similar, nothing that could leave the directory. */
    private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String SUFFIX = ".json";

    private final Path dir;

    ProjectAccountFiles(Path natsDir) {
        this.dir = SecretFiles.directory(natsDir.resolve("projects"));
    }

    static String requireProjectId(String projectId) {
        if (!PROJECT_ID.matcher(projectId).matches()) {
            throw new ProjectAccountException(ProjectAccountException.Kind.INVALID, "Invalid project id.");
        }
        return projectId;
    }

    List<ProjectAccount> loadAll() {
        List<ProjectAccount> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                SecretFiles.read(file).ifPresent(text -> out.add(parse(text, file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    void save(ProjectAccount p) {
        SecretFiles.write(file(p.projectId()), render(p));
    }

    void delete(String projectId) {
        SecretFiles.delete(file(projectId));
    }

    private Path file(String projectId) {
        return dir.resolve(requireProjectId(projectId) + SUFFIX);
    }

    private static String render(ProjectAccount p) {
        ObjectNode root = JSON.createObjectNode();
        root.put("projectId", p.projectId());
        root.put("accountSeed", p.account().seed().orElseThrow());
        root.put("signingSeed", p.signingKey().seed().orElseThrow());
        ProjectLimits l = p.limits();
        root.putObject("limits").put("maxConnections", l.maxConnections()).put("maxPayload", l.maxPayload())
                .put("jetStreamMemory", l.jetStreamMemory()).put("jetStreamStorage", l.jetStreamStorage())
                .put("maxStreams", l.maxStreams()).put("maxConsumers", l.maxConsumers());
        ArrayNode creds = root.putArray("credentials");
        for (CredentialInfo c : p.credentials()) {
            ObjectNode n = creds.addObject().put("id", c.id()).put("kind", c.kind().name()).put("name", c.name());
            c.userId().ifPresent(u -> n.put("userId", u));
            c.role().ifPresent(r -> n.put("role", r.name()));
            c.scope().ifPresent(s -> {
                ObjectNode scope = n.putObject("scope");
                s.publishAllow().forEach(scope.putArray("publishAllow")::add);
                s.publishDeny().forEach(scope.putArray("publishDeny")::add);
                s.subscribeAllow().forEach(scope.putArray("subscribeAllow")::add);
                s.subscribeDeny().forEach(scope.putArray("subscribeDeny")::add);
                scope.put("allowResponses", s.allowResponses());
            });
            n.put("issuedAt", c.issuedAt().getEpochSecond());
            c.expires().ifPresent(e -> n.put("expires", e.getEpochSecond()));
            c.revokedAt().ifPresent(r -> n.put("revokedAt", r.getEpochSecond()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProjectAccount parse(String text, Path file) {
        try {
            JsonNode root = JSON.readTree(text);
            JsonNode l = root.path("limits");
            ProjectLimits limits = new ProjectLimits(l.path("maxConnections").asLong(-1), l.path("maxPayload").asLong(-1),
                    l.path("jetStreamMemory").asLong(-1), l.path("jetStreamStorage").asLong(-1),
                    l.path("maxStreams").asLong(-1), l.path("maxConsumers").asLong(-1));
            List<CredentialInfo> creds = new ArrayList<>();
            for (JsonNode n : root.path("credentials")) {
                creds.add(new CredentialInfo(n.path("id").asText(), CredentialInfo.Kind.valueOf(n.path("kind").asText()),
                        n.path("name").asText(), text(n, "userId"), text(n, "role").map(ProjectRole::valueOf),
                        n.has("scope") ? Optional.of(scope(n.path("scope"))) : Optional.empty(),
                        Instant.ofEpochSecond(n.path("issuedAt").asLong()), instant(n, "expires"), instant(n, "revokedAt")));
            }
            return new ProjectAccount(requireProjectId(root.path("projectId").asText()),
                    NKey.fromSeed(root.path("accountSeed").asText()), NKey.fromSeed(root.path("signingSeed").asText()),
                    limits, creds);
        } catch (IOException | RuntimeException e) {
            // the cause is left out on purpose: parser messages quote the file, and the file holds seeds
            throw new IllegalStateException("cannot read the project account in " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private static CredentialScope scope(JsonNode s) {
        return new CredentialScope(strings(s.path("publishAllow")), strings(s.path("publishDeny")),
                strings(s.path("subscribeAllow")), strings(s.path("subscribeDeny")), s.path("allowResponses").asBoolean());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static Optional<Instant> instant(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(Instant.ofEpochSecond(n.get(field).asLong())) : Optional.empty();
    }
}
