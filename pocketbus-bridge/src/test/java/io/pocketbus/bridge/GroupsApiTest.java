package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.pocketbus.core.Record;
import io.pocketbus.core.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The /api/pocketbus membership endpoints: the happy paths, the refusals, and the activity feed. */
class GroupsApiTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @TempDir
    Path dir;
    private DomainServer pb;
    private DomainServer.Response alice;
    private DomainServer.Response bob;
    private DomainServer.Response eve;
    private String team;

    @BeforeEach
    void start() {
        pb = new DomainServer(dir);
        Settings s = pb.app.settings();
        s.merge(DomainServer.JSON.createObjectNode().set("smtp", DomainServer.JSON.createObjectNode()
                .put("enabled", true).put("host", "127.0.0.1").put("port", MAIL.getSmtp().getPort())
                .put("tls", false)));
        pb.app.saveSettings(s);
        alice = pb.register("alice@example.com");
        bob = pb.register("bob@example.com");
        eve = pb.register("eve@example.com");
        team = pb.call("POST", "/api/collections/groups/records", token(alice),
                Map.of("name", "Team", "owner", id(alice))).body().path("id").asText();
    }

    @AfterEach
    void stop() {
        pb.close();
    }

    private static String token(DomainServer.Response auth) {
        return auth.body().path("token").asText();
    }

    private static String id(DomainServer.Response auth) {
        return auth.body().path("record").path("id").asText();
    }

    private List<String> groupsOf(DomainServer.Response user) {
        return pb.app.findRecordById("users", id(user)).orElseThrow().getStringList("groups");
    }

    private String invite(String email) {
        DomainServer.Response r = pb.call("POST", "/api/pocketbus/groups/" + team + "/invitations", token(alice),
                Map.of("email", email));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().path("id").asText();
    }

    private void join(DomainServer.Response user) {
        String inv = invite(user.body().path("record").path("email").asText());
        assertThat(pb.call("POST", "/api/pocketbus/invitations/" + inv + "/accept", token(user), null).status())
                .isEqualTo(200);
    }

    private List<String> verbs() {
        return pb.app.findRecordsByField(pb.app.findCollectionByNameOrId("activities").orElseThrow(), "group", team)
                .stream().map(a -> a.getString("verb")).toList();
    }

    @Test
    void inviteMailsTheInviteeWhoAcceptsAndSeesTheGroup() throws Exception {
        String inv = invite("bob@example.com");
        assertThat(MAIL.waitForIncomingEmail(20_000, 1)).isTrue();
        var mail = MAIL.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("bob@example.com");
        assertThat(GreenMailUtil.getBody(mail).replace("=\r\n", "")).contains(inv);

        assertThat(pb.call("GET", "/api/collections/groups/records/" + team, token(bob), null).status())
                .isEqualTo(404);
        DomainServer.Response accepted = pb.call("POST", "/api/pocketbus/invitations/" + inv + "/accept",
                token(bob), null);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body().path("status").asText()).isEqualTo("accepted");
        assertThat(groupsOf(bob)).contains(team);
        assertThat(pb.call("GET", "/api/collections/groups/records/" + team, token(bob), null).status())
                .isEqualTo(200);
        assertThat(verbs()).contains("invited", "joined");
        assertThat(pb.call("POST", "/api/pocketbus/invitations/" + inv + "/accept", token(bob), null).status())
                .isEqualTo(400);
    }

    @Test
    void declineLeavesMembershipUnchanged() {
        String inv = invite("bob@example.com");
        DomainServer.Response r = pb.call("POST", "/api/pocketbus/invitations/" + inv + "/decline", token(bob), null);
        assertThat(r.body().path("status").asText()).isEqualTo("declined");
        assertThat(groupsOf(bob)).doesNotContain(team);
        assertThat(verbs()).contains("declined");
    }

    @Test
    void onlyTheOwnerInvites() {
        join(bob);
        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/invitations", token(bob),
                Map.of("email", "x@example.com")).status()).isEqualTo(403);
        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/invitations", token(eve),
                Map.of("email", "x@example.com")).status()).isEqualTo(404);
        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/invitations", null,
                Map.of("email", "x@example.com")).status()).isEqualTo(401);
        DomainServer.Response bad = pb.call("POST", "/api/pocketbus/groups/" + team + "/invitations",
                token(alice), Map.of("email", "not-an-email"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("data").path("email").path("code").asText()).isEqualTo("validation_is_email");
        assertThat(pb.app.findRecordsByField(pb.app.findCollectionByNameOrId("invitations").orElseThrow(),
                "email", "x@example.com")).isEmpty();
    }

    @Test
    void nobodyAcceptsSomeoneElsesInvitation() {
        String inv = invite("bob@example.com");
        assertThat(pb.call("POST", "/api/pocketbus/invitations/" + inv + "/accept", token(eve), null).status())
                .isEqualTo(404);
        assertThat(groupsOf(eve)).doesNotContain(team);
        Record stored = pb.app.findRecordById("invitations", inv).orElseThrow();
        assertThat(stored.getString("status")).isEqualTo("pending");
    }

    @Test
    void memberLeavesButTheOwnerCannot() {
        join(bob);
        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/leave", token(alice), null).status())
                .isEqualTo(400);
        assertThat(groupsOf(alice)).contains(team);
        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/leave", token(bob), null).status())
                .isEqualTo(204);
        assertThat(groupsOf(bob)).doesNotContain(team);
        assertThat(verbs()).contains("left");
    }

    @Test
    void ownerRemovesAMemberButNotThemselves() {
        join(bob);
        join(eve);
        assertThat(pb.call("DELETE", "/api/pocketbus/groups/" + team + "/members/" + id(eve), token(bob), null)
                .status()).isEqualTo(403);
        assertThat(pb.call("DELETE", "/api/pocketbus/groups/" + team + "/members/" + id(alice), token(alice), null)
                .status()).isEqualTo(400);
        assertThat(pb.call("DELETE", "/api/pocketbus/groups/" + team + "/members/" + id(eve), token(alice), null)
                .status()).isEqualTo(204);
        assertThat(groupsOf(eve)).doesNotContain(team);
        assertThat(groupsOf(bob)).contains(team);
        assertThat(verbs()).contains("removed");
    }

    @Test
    void ownershipMovesOnlyToAMember() {
        DomainServer.Response refused = pb.call("POST", "/api/pocketbus/groups/" + team + "/transfer",
                token(alice), Map.of("owner", id(eve)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("data").path("owner").path("code").asText())
                .isEqualTo("validation_not_member");
        assertThat(pb.app.findRecordById("groups", team).orElseThrow().getString("owner")).isEqualTo(id(alice));

        join(bob);
        DomainServer.Response moved = pb.call("POST", "/api/pocketbus/groups/" + team + "/transfer", token(alice),
                Map.of("owner", id(bob)));
        assertThat(moved.status()).isEqualTo(200);
        JsonNode group = moved.body();
        assertThat(group.path("owner").asText()).isEqualTo(id(bob));
        assertThat(verbs()).contains("transferred");
        // the former owner is now an ordinary member and may leave
        assertThat(pb.call("POST", "/api/pocketbus/groups/" + team + "/leave", token(alice), null).status())
                .isEqualTo(204);
    }

    @Test
    void ownerCannotBeChangedByARecordUpdate() {
        join(bob);
        assertThat(pb.call("PATCH", "/api/collections/groups/records/" + team, token(alice),
                Map.of("owner", id(bob))).status()).isIn(400, 404);
        assertThat(pb.app.findRecordById("groups", team).orElseThrow().getString("owner")).isEqualTo(id(alice));
    }
}
