package io.pocketbus.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.broker.NKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps each project account in {@code <dataDir>/nats/projects/<projectId>.json} (owner-only: it holds the
 * account and signing key seeds), so the accounts are restored when the server starts.
 *
 * <p>The {@code .json} snapshot holds the keys, the limits and the credentials live when it was written; the
 * credentials issued and revoked since are appended to {@code <projectId>.journal}, one JSON line each, so an
 * issuance costs one short append rather than rewriting every live credential. Loading replays the journal
 * over the snapshot (replaying an entry the snapshot already holds changes nothing); when the journal has
 * grown past twice the live credentials, the snapshot is written again and the journal emptied.
 * A line is appended with a single write before the change is acknowledged, so it survives the process
 * being killed; revocations and service credentials are also forced to the disk. A line torn by a crash
 * mid-write is the last one: it is cut off when loading.
 */
final class ProjectAccountFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Project ids become file names: PocketBase ids and similar, nothing that could leave the directory. */
    private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String SUFFIX = ".json";
    private static final String JOURNAL_SUFFIX = ".journal";
    private static final int MIN_JOURNAL_LINES = 1024;
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path dir;
    /** Lines in each project's journal, to know when to compact it. */
    private final Map<String, Integer> journalLines = new HashMap<>();

    /** A project account as loaded: its keys and limits, and its credentials. */
    record Loaded(ProjectAccount account, List<CredentialInfo> credentials) {
    }

    ProjectAccountFiles(Path natsDir) {
        this.dir = SecretFiles.directory(natsDir.resolve("projects"));
    }

    static String requireProjectId(String projectId) {
        if (!PROJECT_ID.matcher(projectId).matches()) {
            throw new ProjectAccountException(ProjectAccountException.Kind.INVALID, "Invalid project id.");
        }
        return projectId;
    }

    List<Loaded> loadAll() {
        List<Loaded> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                SecretFiles.read(file).ifPresent(text -> out.add(load(parse(text, file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /** Writes the whole project account (keys, limits, these credentials) and empties its journal. */
    void save(ProjectAccount p, List<CredentialInfo> credentials) {
        SecretFiles.write(file(p.projectId()), render(p, credentials));
        SecretFiles.delete(journal(p.projectId()));
        journalLines.put(p.projectId(), 0);
    }

    /**
     * Appends credentials issued or revoked to the project's journal.
     *
     * @param force whether to force the line to the disk before returning, not only to the operating system
     */
    void append(String projectId, List<CredentialInfo> changed, boolean force) {
        StringBuilder lines = new StringBuilder();
        for (CredentialInfo c : changed) {
            lines.append(json(credential(JSON.createObjectNode(), c))).append('\n');
        }
        Path file = journal(projectId);
        try (FileChannel channel = openJournal(file)) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (force) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        journalLines.merge(projectId, changed.size(), Integer::sum);
    }

    /** Whether the journal has grown enough, against {@code live} credentials, to be folded into the snapshot. */
    boolean journalOutgrows(String projectId, int live) {
        return journalLines.getOrDefault(projectId, 0) > Math.max(MIN_JOURNAL_LINES, 2 * live);
    }

    void delete(String projectId) {
        SecretFiles.delete(file(projectId));
        SecretFiles.delete(journal(projectId));
        journalLines.remove(projectId);
    }

    private Path file(String projectId) {
        return dir.resolve(requireProjectId(projectId) + SUFFIX);
    }

    private Path journal(String projectId) {
        return dir.resolve(requireProjectId(projectId) + JOURNAL_SUFFIX);
    }

    private static FileChannel openJournal(Path file) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            return FileChannel.open(file, options, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options);
        }
    }

    private Loaded load(Loaded snapshot) {
        String projectId = snapshot.account().projectId();
        Path file = journal(projectId);
        if (!Files.exists(file)) {
            journalLines.put(projectId, 0);
            return snapshot;
        }
        List<CredentialInfo> credentials = new ArrayList<>(snapshot.credentials());
        try {
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            int lines = 0;
            for (int end = indexOf(bytes, start); end >= 0; end = indexOf(bytes, start)) {
                String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                credentials.add(credential(JSON.readTree(line)));
                lines++;
                start = end + 1;
            }
            if (start < bytes.length) {
                // the process died in the middle of this append, before it was acknowledged
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(start);
                    channel.force(false);
                }
            }
            journalLines.put(projectId, lines);
        } catch (IOException | RuntimeException e) {
            // the cause is left out on purpose: parser messages quote the file
            throw new IllegalStateException("cannot read the credentials journal " + file + ": "
                    + e.getClass().getSimpleName());
        }
        return new Loaded(snapshot.account(), credentials);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String render(ProjectAccount p, List<CredentialInfo> credentials) {
        ObjectNode root = JSON.createObjectNode();
        root.put("projectId", p.projectId());
        root.put("accountSeed", p.account().seed().orElseThrow());
        root.put("signingSeed", p.signingKey().seed().orElseThrow());
        ProjectLimits l = p.limits();
        root.putObject("limits").put("maxConnections", l.maxConnections()).put("maxPayload", l.maxPayload())
                .put("jetStreamMemory", l.jetStreamMemory()).put("jetStreamStorage", l.jetStreamStorage())
                .put("maxStreams", l.maxStreams()).put("maxConsumers", l.maxConsumers());
        ArrayNode creds = root.putArray("credentials");
        credentials.forEach(c -> credential(creds.addObject(), c));
        return json(root);
    }

    private static ObjectNode credential(ObjectNode n, CredentialInfo c) {
        n.put("id", c.id()).put("kind", c.kind().name()).put("name", c.name());
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
        return n;
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CredentialInfo credential(JsonNode n) {
        return new CredentialInfo(n.path("id").asText(), CredentialInfo.Kind.valueOf(n.path("kind").asText()),
                n.path("name").asText(), text(n, "userId"), text(n, "role").map(ProjectRole::valueOf),
                n.has("scope") ? Optional.of(scope(n.path("scope"))) : Optional.empty(),
                Instant.ofEpochSecond(n.path("issuedAt").asLong()), instant(n, "expires"), instant(n, "revokedAt"));
    }

    private static Loaded parse(String text, Path file) {
        try {
            JsonNode root = JSON.readTree(text);
            JsonNode l = root.path("limits");
            ProjectLimits limits = new ProjectLimits(l.path("maxConnections").asLong(-1), l.path("maxPayload").asLong(-1),
                    l.path("jetStreamMemory").asLong(-1), l.path("jetStreamStorage").asLong(-1),
                    l.path("maxStreams").asLong(-1), l.path("maxConsumers").asLong(-1));
            List<CredentialInfo> creds = new ArrayList<>();
            for (JsonNode n : root.path("credentials")) {
                creds.add(credential(n));
            }
            return new Loaded(new ProjectAccount(requireProjectId(root.path("projectId").asText()),
                    NKey.fromSeed(root.path("accountSeed").asText()), NKey.fromSeed(root.path("signingSeed").asText()),
                    limits), creds);
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
