package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.pocketbus.broker.JwtUserClaims;
import io.pocketbus.broker.NatsJwt;
import io.pocketbus.core.Record;
import io.pocketbus.core.Settings;
import io.pocketbus.tools.types.DateTime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles in a group (member, viewer) from invitation to credentials, fellow members' user records, invitation
 * expiry, and the actor of project activities.
 */
class RolesApiTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @TempDir
    Path dir;
    private ProjectAccounts accounts;
    private DomainServer pb;
    private DomainServer.Response alice;
    private DomainServer.Response bob;
    private DomainServer.Response eve;
    private String team;
    private String chat;

    @BeforeEach
    void start() {
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dir.resolve("nats")));
        pb = new DomainServer(dir.resolve("pb"), accounts);
        Settings s = pb.app.settings();
        s.merge(DomainServer.JSON.createObjectNode().set("smtp", DomainServer.JSON.createObjectNode()
                .put("enabled", true).put("host", "127.0.0.1").put("port", MAIL.getSmtp().getPort())
                .put("tls", false)));
        pb.app.saveSettings(s);
        alice = pb.register("alice@example.com");
        bob = pb.register("bob@example.com");
        eve = pb.register("eve@example.com");
        team = ok(pb.call("POST", "/api/collections/groups/records", token(alice),
                Map.of("name", "Team", "owner", id(alice)))).path("id").asText();
        chat = ok(pb.call("POST", "/api/collections/projects/records", token(alice),
                Map.of("name", "Chat", "group", team))).path("id").asText();
    }

    @AfterEach
    void stop() {
        pb.close();
    }

    private static JsonNode ok(DomainServer.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    private static String token(DomainServer.Response auth) {
        return auth.body().path("token").asText();
    }

    private static String id(DomainServer.Response auth) {
        return auth.body().path("record").path("id").asText();
    }

    private String invite(String email, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("email", email));
        body.putAll(extra);
        return ok(pb.call("POST", "/api/pocketbus/groups/" + team + "/invitations", token(alice), body)).path("id").asText();
    }

    private void join(DomainServer.Response user, String role) {
        String inv = invite(user.body().path("record").path("email").asText(), Map.of("role", role));
        ok(pb.call("POST", "/api/pocketbus/invitations/" + inv + "/accept", token(user), null));
    }

    private DomainServer.Response setRole(DomainServer.Response as, DomainServer.Response user, String role) {
        return pb.call("POST", "/api/pocketbus/groups/" + team + "/members/" + id(user) + "/role", token(as),
                Map.of("role", role));
    }

    private Record user(DomainServer.Response user) {
        return pb.app.findRecordById("users", id(user)).orElseThrow();
    }

    private List<Record> activities(String verb) {
        return pb.app.findRecordsByField(pb.app.findCollectionByNameOrId("activities").orElseThrow(), "group", team)
                .stream().filter(a -> a.getString("verb").equals(verb)).toList();
    }

    private static List<String> ids(JsonNode list) {
        return StreamSupport.stream(list.path("items").spliterator(), false).map(i -> i.path("id").asText()).toList();
    }

    @Test
    void aViewerSeesTheGroupAndItsProjectsButChangesNothing() {
        join(bob, "viewer");
        assertThat(user(bob).getStringList("viewing")).containsExactly(team);
        assertThat(user(bob).getStringList("groups")).doesNotContain(team);

        ok(pb.call("GET", "/api/collections/groups/records/" + team, token(bob), null));
        assertThat(ids(ok(pb.call("GET", "/api/collections/projects/records", token(bob), null)))).containsExactly(chat);
        assertThat(ids(ok(pb.call("GET", "/api/collections/activities/records", token(bob), null)))).isNotEmpty();

        assertThat(pb.call("POST", "/api/collections/projects/records", token(bob),
                Map.of("name", "Mine", "group", team)).status()).isEqualTo(400);
        assertThat(pb.call("PATCH", "/api/collections/projects/records/" + chat, token(bob),
                Map.of("name", "Renamed")).status()).isEqualTo(404);
        assertThat(pb.call("DELETE", "/api/collections/projects/records/" + chat, token(bob), null).status())
                .isEqualTo(404);
        assertThat(pb.app.findRecordById("projects", chat).orElseThrow().getString("name")).isEqualTo("Chat");
    }

    @Test
    void aViewerGetsViewerCredentialsAndCannotManageServiceCredentials() {
        join(bob, "viewer");
        JsonNode credentials = ok(pb.call("POST", "/api/pocketbus/projects/" + chat + "/credentials", token(bob), null));
        assertThat(credentials.path("role").asText()).isEqualTo("viewer");
        JwtUserClaims claims = NatsJwt.decode(credentials.path("jwt").asText()).claims(JwtUserClaims.class);
        assertThat(claims.permissions()).isEqualTo(ProjectRole.VIEWER.permissions());
        assertThat(accounts.listCredentials(chat)).singleElement()
                .satisfies(c -> assertThat(c.role()).contains(ProjectRole.VIEWER));

        String base = "/api/pocketbus/projects/" + chat + "/service-credentials";
        assertThat(pb.call("POST", base, token(bob), Map.of("name", "worker")).status()).isEqualTo(403);
        String created = ok(pb.call("POST", base, token(alice), Map.of("name", "worker"))).path("id").asText();
        assertThat(ids(ok(pb.call("GET", base, token(bob), null)))).containsExactly(created);
        assertThat(pb.call("DELETE", base + "/" + created, token(bob), null).status()).isEqualTo(403);

        JsonNode memberCredentials = ok(pb.call("POST", "/api/pocketbus/projects/" + chat + "/credentials",
                token(alice), null));
        assertThat(memberCredentials.path("role").asText()).isEqualTo("member");
        assertThat(pb.call("POST", "/api/pocketbus/projects/" + chat + "/credentials", token(eve), null).status())
                .isEqualTo(404);
    }

    @Test
    void theOwnerChangesAMembersRoleWhichRevokesTheirMemberCredentials() {
        join(bob, "member");
        ok(pb.call("POST", "/api/pocketbus/projects/" + chat + "/credentials", token(bob), null));

        JsonNode changed = ok(setRole(alice, bob, "viewer"));
        assertThat(changed.path("role").asText()).isEqualTo("viewer");
        assertThat(user(bob).getStringList("groups")).doesNotContain(team);
        assertThat(user(bob).getStringList("viewing")).containsExactly(team);
        assertThat(accounts.listCredentials(chat)).singleElement().satisfies(c -> assertThat(c.revokedAt()).isPresent());
        assertThat(activities("role.viewer")).singleElement().satisfies(a -> {
            assertThat(a.getString("actor")).isEqualTo(id(alice));
            assertThat(a.getString("target")).isEqualTo(id(bob));
        });

        ok(setRole(alice, bob, "member"));
        assertThat(user(bob).getStringList("groups")).contains(team);
        assertThat(user(bob).getStringList("viewing")).isEmpty();
        assertThat(activities("role.member")).hasSize(1);
    }

    @Test
    void onlyTheOwnerChangesRolesOfMembersOtherThanThemselves() {
        join(bob, "member");
        assertThat(setRole(bob, alice, "viewer").status()).isEqualTo(403);
        assertThat(setRole(alice, alice, "viewer").status()).isEqualTo(400);
        assertThat(setRole(alice, eve, "viewer").status()).isEqualTo(404);
        DomainServer.Response bad = setRole(alice, bob, "admin");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("data").path("role").path("code").asText()).isEqualTo("validation_invalid_value");
        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/invitations", token(alice),
                Map.of("email", "carol@example.com", "role", "owner")).status()).isEqualTo(400);
        assertThat(user(bob).getStringList("groups")).contains(team);
    }

    @Test
    void aViewerLeavesIsRemovedAndCannotBecomeOwner() {
        join(bob, "viewer");
        join(eve, "viewer");
        DomainServer.Response transfer = pb.call("POST", "/api/pocketbus/groups/" + team + "/transfer", token(alice),
                Map.of("owner", id(bob)));
        assertThat(transfer.status()).isEqualTo(400);
        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/leave", token(bob), null).status()).isEqualTo(204);
        assertThat(user(bob).getStringList("viewing")).isEmpty();
        assertThat(pb.call("DELETE", "/api/pocketbus/groups/" + team + "/members/" + id(eve), token(alice), null)
                .status()).isEqualTo(204);
        assertThat(user(eve).getStringList("viewing")).isEmpty();
        assertThat(pb.call("GET", "/api/collections/groups/records/" + team, token(eve), null).status()).isEqualTo(404);
    }

    @Test
    void usersCannotMakeThemselvesViewers() {
        DomainServer.Response r = pb.call("PATCH", "/api/collections/users/records/" + id(eve), token(eve),
                Map.of("viewing", List.of(team)));
        assertThat(r.status()).isEqualTo(404);
        assertThat(user(eve).getStringList("viewing")).isEmpty();
    }

    @Test
    void membersAndViewersSeeEachOthersRecordsAndEmailsOnlyWhereVisible() {
        join(bob, "member");
        join(eve, "viewer");
        DomainServer.Response dave = pb.register("dave@example.com");
        join(dave, "viewer");
        DomainServer.Response carol = pb.register("carol@example.com");

        JsonNode seenByBob = ok(pb.call("GET", "/api/collections/users/records?sort=email", token(bob), null));
        assertThat(ids(seenByBob)).containsExactlyInAnyOrder(id(alice), id(bob), id(eve), id(dave));
        assertThat(ids(ok(pb.call("GET", "/api/collections/users/records", token(eve), null))))
                .containsExactlyInAnyOrder(id(alice), id(bob), id(eve), id(dave));
        JsonNode aliceAsSeen = StreamSupport.stream(seenByBob.path("items").spliterator(), false)
                .filter(u -> u.path("id").asText().equals(id(alice))).findFirst().orElseThrow();
        assertThat(aliceAsSeen.has("email")).isFalse();
        ok(pb.call("GET", "/api/collections/users/records/" + id(bob), token(eve), null));

        ok(pb.call("PATCH", "/api/collections/users/records/" + id(alice), token(alice), Map.of("emailVisibility", true)));
        assertThat(ok(pb.call("GET", "/api/collections/users/records/" + id(alice), token(bob), null))
                .path("email").asText()).isEqualTo("alice@example.com");

        assertThat(ids(ok(pb.call("GET", "/api/collections/users/records", token(carol), null))))
                .containsExactly(id(carol));
        assertThat(pb.call("GET", "/api/collections/users/records/" + id(alice), token(carol), null).status())
                .isEqualTo(404);
        assertThat(ids(ok(pb.call("GET", "/api/collections/users/records", null, null)))).isEmpty();
    }

    @Test
    void anExpiredInvitationIsRefusedAndMarkedExpired() {
        String inv = invite("bob@example.com", Map.of());
        Record stored = pb.app.findRecordById("invitations", inv).orElseThrow();
        stored.set("expires", DateTime.now().plusSeconds(-60).toString());
        pb.app.save(stored);

        DomainServer.Response r = pb.call("POST", "/api/pocketbus/invitations/" + inv + "/accept", token(bob), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("message").asText()).isEqualTo("The invitation has expired.");
        assertThat(pb.app.findRecordById("invitations", inv).orElseThrow().getString("status")).isEqualTo("expired");
        assertThat(user(bob).getStringList("groups")).doesNotContain(team);
        assertThat(pb.call("POST", "/api/pocketbus/invitations/" + inv + "/decline", token(bob), null).status())
                .isEqualTo(400);
    }

    @Test
    void projectActivitiesCarryTheUserWhoActed() {
        join(bob, "member");
        ok(pb.call("PATCH", "/api/collections/projects/records/" + chat, token(bob), Map.of("description", "ours")));
        assertThat(pb.call("DELETE", "/api/collections/projects/records/" + chat, token(bob), null).status()).isEqualTo(204);

        assertThat(activities("project.created")).singleElement().satisfies(a -> assertThat(a.getString("actor")).isEqualTo(id(alice)));
        assertThat(activities("project.updated")).singleElement().satisfies(a -> assertThat(a.getString("actor")).isEqualTo(id(bob)));
        assertThat(activities("project.deleted")).singleElement().satisfies(a -> assertThat(a.getString("actor")).isEqualTo(id(bob)));
    }

    @Test
    void serverCodeChangesHaveNoActor() {
        Record project = pb.app.findRecordById("projects", chat).orElseThrow();
        project.set("description", "by a job");
        pb.app.save(project);
        assertThat(activities("project.updated")).singleElement().satisfies(a -> assertThat(a.getString("actor")).isEmpty());
    }
}
