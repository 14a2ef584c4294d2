package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The domain collections and their invariants through the REST API and through server code. */
class DomainRulesTest {
    @TempDir
    Path dir;
    private DomainServer pb;

    @BeforeEach
    void start() {
        pb = new DomainServer(dir);
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

    @Test
    void collectionsExistAndAreListedByTheCollectionsApi() {
        for (String name : List.of("groups", "projects", "invitations", "activities")) {
            assertThat(pb.app.findCollectionByNameOrId(name)).as(name).isPresent();
        }
        assertThat(pb.app.findCollectionByNameOrId("users").orElseThrow().field("mygroup")).isPresent();
    }

    @Test
    void registeringCreatesThePersonalGroupAsMygroup() {
        DomainServer.Response alice = pb.register("alice@example.com");
        JsonNode rec = alice.body().path("record");
        String mygroup = rec.path("mygroup").asText();
        assertThat(mygroup).isNotEmpty();
        assertThat(rec.path("groups").get(0).asText()).isEqualTo(mygroup);
        Record group = pb.app.findRecordById("groups", mygroup).orElseThrow();
        assertThat(group.getBool("personal")).isTrue();
        assertThat(group.getString("owner")).isEqualTo(id(alice));
    }

    @Test
    void aPersonalGroupCannotBeDeleted() {
        DomainServer.Response alice = pb.register("alice@example.com");
        String mygroup = alice.body().path("record").path("mygroup").asText();
        DomainServer.Response r = pb.call("DELETE", "/api/collections/groups/records/" + mygroup, token(alice), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(pb.app.findRecordById("groups", mygroup)).isPresent();
    }

    @Test
    void usersCannotEditTheirMembershipsDirectly() {
        DomainServer.Response alice = pb.register("alice@example.com");
        DomainServer.Response bob = pb.register("bob@example.com");
        String bobsGroup = bob.body().path("record").path("mygroup").asText();
        for (String key : List.of("groups", "groups+", "mygroup")) {
            DomainServer.Response r = pb.call("PATCH", "/api/collections/users/records/" + id(alice), token(alice),
                    Map.of(key, key.startsWith("groups") ? List.of(bobsGroup) : bobsGroup));
            assertThat(r.status()).as(key).isIn(400, 403, 404);
        }
        Record stored = pb.app.findRecordById("users", id(alice)).orElseThrow();
        assertThat(stored.getStringList("groups")).doesNotContain(bobsGroup);
        assertThat(stored.getString("mygroup")).isNotEqualTo(bobsGroup);
    }

    @Test
    void aCreatedGroupMakesItsCreatorOwnerAndMember() {
        DomainServer.Response alice = pb.register("alice@example.com");
        DomainServer.Response r = pb.call("POST", "/api/collections/groups/records", token(alice),
                Map.of("name", "Team", "owner", id(alice)));
        assertThat(r.status()).isEqualTo(200);
        String team = r.body().path("id").asText();
        assertThat(pb.app.findRecordById("users", id(alice)).orElseThrow().getStringList("groups")).contains(team);
    }

    @Test
    void nobodyCreatesAGroupForSomeoneElseOrAPersonalOne() {
        DomainServer.Response alice = pb.register("alice@example.com");
        DomainServer.Response bob = pb.register("bob@example.com");
        assertThat(pb.call("POST", "/api/collections/groups/records", token(alice),
                Map.of("name", "Theirs", "owner", id(bob))).status()).isEqualTo(400);
        assertThat(pb.call("POST", "/api/collections/groups/records", token(alice),
                Map.of("name", "Mine", "owner", id(alice), "personal", true)).status()).isEqualTo(400);
        assertThat(pb.app.findRecordById("users", id(bob)).orElseThrow().getStringList("groups")).hasSize(1);
    }

    @Test
    void nonMembersSeeNeitherTheGroupNorItsProjects() {
        DomainServer.Response alice = pb.register("alice@example.com");
        DomainServer.Response eve = pb.register("eve@example.com");
        String group = alice.body().path("record").path("mygroup").asText();
        DomainServer.Response project = pb.call("POST", "/api/collections/projects/records", token(alice),
                Map.of("name", "Chat", "group", group));
        assertThat(project.status()).isEqualTo(200);
        String projectId = project.body().path("id").asText();

        assertThat(pb.call("GET", "/api/collections/groups/records/" + group, token(eve), null).status())
                .isEqualTo(404);
        assertThat(pb.call("GET", "/api/collections/projects/records/" + projectId, token(eve), null).status())
                .isEqualTo(404);
        assertThat(pb.call("GET", "/api/collections/projects/records", token(eve), null).body().path("items"))
                .isEmpty();
        assertThat(pb.call("GET", "/api/collections/groups/records", token(eve), null).body().path("items"))
                .hasSize(1);
        assertThat(pb.call("POST", "/api/collections/projects/records", token(eve),
                Map.of("name", "Intruder", "group", group)).status()).isEqualTo(400);
        assertThat(pb.call("GET", "/api/collections/projects/records", token(alice), null).body().path("items"))
                .hasSize(1);
    }

    @Test
    void ownerCannotDropOutOfTheirGroupThroughServerCode() {
        DomainServer.Response alice = pb.register("alice@example.com");
        Record stored = pb.app.findRecordById("users", id(alice)).orElseThrow();
        stored.set("groups", List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pb.app.save(stored))
                .isInstanceOf(io.pocketbus.core.ApiError.class);
        assertThat(pb.app.findRecordById("users", id(alice)).orElseThrow().getStringList("groups")).hasSize(1);
    }

    @Test
    void deletingAGroupDeletesItsProjects() {
        DomainServer.Response alice = pb.register("alice@example.com");
        String team = pb.call("POST", "/api/collections/groups/records", token(alice),
                Map.of("name", "Team", "owner", id(alice))).body().path("id").asText();
        String project = pb.call("POST", "/api/collections/projects/records", token(alice),
                Map.of("name", "Chat", "group", team)).body().path("id").asText();
        assertThat(pb.call("DELETE", "/api/collections/groups/records/" + team, token(alice), null).status())
                .isEqualTo(204);
        assertThat(pb.app.findRecordById("projects", project)).isEmpty();
        assertThat(pb.app.findRecordById("users", id(alice)).orElseThrow().getStringList("groups"))
                .doesNotContain(team);
    }
}
