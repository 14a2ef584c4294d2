package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.broker.JwtUserClaims;
import io.pocketbus.broker.NatsJwt;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Projects as broker accounts through the API: lifecycle after commit, reconcile on start, credentials. */
class ProjectAccountsBindingTest {
    @TempDir
    Path dir;
    private ProjectAccounts accounts;
    private DomainServer pb;
    private DomainServer.Response alice;
    private DomainServer.Response eve;
    private String group;

    @BeforeEach
    void start() {
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dir.resolve("nats")));
        pb = new DomainServer(dir.resolve("pb"), accounts);
        alice = pb.register("alice@example.com");
        eve = pb.register("eve@example.com");
        group = alice.body().path("record").path("mygroup").asText();
    }

    @AfterEach
    void stop() {
        pb.close();
    }

    private static String token(DomainServer.Response auth) {
        return auth.body().path("token").asText();
    }

    private String createProject(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "Chat", "group", group));
        body.putAll(extra);
        DomainServer.Response r = pb.call("POST", "/api/collections/projects/records", token(alice), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().path("id").asText();
    }

    @Test
    void projectLifecycleProvisionsUpdatesAndRemovesTheAccount() {
        String project = createProject(Map.of("maxConnections", 5));
        assertThat(accounts.accountPublicKey(project)).isPresent();
        assertThat(accounts.limits(project).orElseThrow().maxConnections()).isEqualTo(5);

        assertThat(pb.call("PATCH", "/api/collections/projects/records/" + project, token(alice),
                Map.of("maxConnections", 7, "maxPayload", 1024)).status()).isEqualTo(200);
        assertThat(accounts.limits(project).orElseThrow().maxConnections()).isEqualTo(7);
        assertThat(accounts.limits(project).orElseThrow().maxPayload()).isEqualTo(1024);

        assertThat(pb.call("DELETE", "/api/collections/projects/records/" + project, token(alice), null).status())
                .isEqualTo(204);
        assertThat(accounts.accountPublicKey(project)).isEmpty();
        List<String> verbs = pb.app.findRecordsByField(pb.app.findCollectionByNameOrId("activities").orElseThrow(),
                "group", group).stream().map(a -> a.getString("verb")).toList();
        assertThat(verbs).contains("project.created", "project.updated", "project.deleted");
    }

    @Test
    void aRefusedProjectProvisionsNothing() {
        DomainServer.Response r = pb.call("POST", "/api/collections/projects/records", token(eve),
                Map.of("name", "Intruder", "group", group));
        assertThat(r.status()).isEqualTo(400);
        assertThat(accounts.projectIds()).isEmpty();
    }

    @Test
    void startReconcilesAccountsWithTheDatabase() {
        String project = createProject(Map.of());
        accounts.remove(project);
        accounts.provision("orphanproject01", ProjectLimits.UNLIMITED);
        ProjectAccountsBinding.reconcile(pb.app, accounts);
        assertThat(accounts.projectIds()).containsExactly(project);
    }

    @Test
    void membersGetCredentialsSignedForTheProjectAccountAndOthersGet404() {
        String project = createProject(Map.of());
        DomainServer.Response r = pb.call("POST", "/api/pocketbus/projects/" + project + "/credentials",
                token(alice), null);
        assertThat(r.status()).isEqualTo(200);
        String account = accounts.accountPublicKey(project).orElseThrow();
        assertThat(r.body().path("account").asText()).isEqualTo(account);
        assertThat(r.body().path("seed").asText()).startsWith("SU");
        JwtUserClaims claims = NatsJwt.decode(r.body().path("jwt").asText()).claims(JwtUserClaims.class);
        assertThat(claims.account()).isEqualTo(account);
        assertThat(r.body().path("expires").asText()).isNotEmpty();

        assertThat(pb.call("POST", "/api/pocketbus/projects/" + project + "/credentials", token(eve), null)
                .status()).isEqualTo(404);
        assertThat(pb.call("POST", "/api/pocketbus/projects/" + project + "/credentials", null, null)
                .status()).isEqualTo(401);
    }

    @Test
    void serviceCredentialsAreCreatedListedDownloadedAndRevoked() {
        String project = createProject(Map.of());
        String base = "/api/pocketbus/projects/" + project + "/service-credentials";
        DomainServer.Response created = pb.call("POST", base, token(alice),
                Map.of("name", "worker", "publishAllow", List.of("jobs.>"), "subscribeAllow", List.of("jobs.>")));
        assertThat(created.status()).isEqualTo(200);
        String id = created.body().path("id").asText();
        assertThat(created.body().path("creds").asText()).contains("BEGIN NATS USER JWT")
                .contains(created.body().path("seed").asText());

        DomainServer.Response listed = pb.call("GET", base, token(alice), null);
        assertThat(listed.body().path("items")).hasSize(1);
        assertThat(listed.body().path("items").get(0).path("id").asText()).isEqualTo(id);
        assertThat(listed.body().path("items").get(0).has("seed")).isFalse();
        assertThat(pb.call("GET", base, token(eve), null).status()).isEqualTo(404);
        assertThat(pb.call("DELETE", base + "/" + id, token(eve), null).status()).isEqualTo(404);
        assertThat(pb.call("POST", base, token(alice), Map.of("name", "")).status()).isEqualTo(400);

        assertThat(pb.call("DELETE", base + "/" + id, token(alice), null).status()).isEqualTo(204);
        assertThat(accounts.listCredentials(project).getFirst().revokedAt()).isPresent();
        assertThat(pb.call("DELETE", base + "/" + id, token(alice), null).status()).isEqualTo(404);
    }

    @Test
    void aServiceCredentialDownloadsAsACredsFile() throws Exception {
        String project = createProject(Map.of());
        var r = pb.download("/api/pocketbus/projects/" + project + "/service-credentials?download=1", token(alice),
                Map.of("name", "backup job", "subscribeAllow", List.of("backups.>")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"backup_job.creds\"");
        assertThat(r.body()).contains("-----BEGIN NATS USER JWT-----").contains("-----BEGIN USER NKEY SEED-----");
        assertThat(accounts.listCredentials(project)).hasSize(1);
    }

    @Test
    void deletingTheGroupRemovesItsProjectsAccounts() {
        String team = pb.call("POST", "/api/collections/groups/records", token(alice),
                Map.of("name", "Team", "owner", alice.body().path("record").path("id").asText()))
                .body().path("id").asText();
        group = team;
        String project = createProject(Map.of());
        assertThat(accounts.accountPublicKey(project)).isPresent();
        assertThat(pb.call("DELETE", "/api/collections/groups/records/" + team, token(alice), null).status())
                .isEqualTo(204);
        Record gone = pb.app.findRecordById("projects", project).orElse(null);
        assertThat(gone).isNull();
        assertThat(accounts.accountPublicKey(project)).isEmpty();
    }

    @Test
    void aMemberWhoLeavesLosesTheirProjectCredentials() {
        String aliceId = alice.body().path("record").path("id").asText();
        String team = pb.call("POST", "/api/collections/groups/records", token(alice),
                Map.of("name", "Team", "owner", aliceId)).body().path("id").asText();
        group = team;
        String project = createProject(Map.of());
        String inv = pb.call("POST", "/api/pocketbus/groups/" + team + "/invitations", token(alice),
                Map.of("email", "eve@example.com")).body().path("id").asText();
        assertThat(pb.call("POST", "/api/pocketbus/invitations/" + inv + "/accept", token(eve), null).status())
                .isEqualTo(200);
        assertThat(pb.call("POST", "/api/pocketbus/projects/" + project + "/credentials", token(eve), null)
                .status()).isEqualTo(200);
        pb.call("POST", "/api/pocketbus/projects/" + project + "/credentials", token(alice), null);

        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/leave", token(eve), null).status())
                .isEqualTo(204);
        String eveId = eve.body().path("record").path("id").asText();
        assertThat(accounts.listCredentials(project)).filteredOn(c -> c.userId().equals(java.util.Optional.of(eveId)))
                .isNotEmpty().allMatch(c -> c.revokedAt().isPresent());
        assertThat(accounts.listCredentials(project)).filteredOn(c -> c.userId().equals(java.util.Optional.of(aliceId)))
                .isNotEmpty().allMatch(c -> c.revokedAt().isEmpty());
        assertThat(pb.call("POST", "/api/pocketbus/projects/" + project + "/credentials", token(eve), null)
                .status()).isEqualTo(404);
    }
}
