package io.pocketbus.bridge;

import static io.pocketbus.bridge.DomainCollections.PROJECTS;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.http.ServeEvent;
import io.pocketbus.tools.hook.Hook;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each project's broker account in step with its record: provisioned when the project is created,
 * its limits updated with the record, removed (with its streams) when the project goes, all after commit so a
 * rolled-back change leaves the broker alone; on start, reconciled with the projects in the database. Also
 * writes the project changes, with the user who made them, to the group's activity feed (inside the change's
 * transaction) and serves the credentials endpoints.
 */
public final class ProjectAccountsBinding {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectAccountsBinding.class);

    private ProjectAccountsBinding() {
    }

    public static void bind(App app, Hook<ServeEvent> onServe, ProjectAccounts accounts) {
        app.onBootstrap().bindFunc(e -> {
            e.next();
            // whichever bootstrap handler runs last, the collections exist before the accounts follow them
            DomainCollections.ensure(app);
            reconcile(app, accounts);
        });
        app.onRecordCreate(PROJECTS).bindFunc(e -> {
            e.next();
            Activities.write(app, e.record().getString("group"), Actors.current(), "project.created", e.record().id());
        });
        app.onRecordUpdate(PROJECTS).bindFunc(e -> {
            e.next();
            Activities.write(app, e.record().getString("group"), Actors.current(), "project.updated", e.record().id());
        });
        app.onRecordDelete(PROJECTS).bindFunc(e -> {
            Record project = e.record();
            e.next();
            // the group itself may be going in the same cascade, taking its feed along
            if (app.findRecordById(DomainCollections.GROUPS, project.getString("group")).isPresent()) {
                Activities.write(app, project.getString("group"), Actors.current(), "project.deleted", project.id());
            }
        });
        app.onRecordAfterCreateSuccess(PROJECTS).bindFunc(e -> {
            accounts.provision(e.record().id(), ProjectSettings.limitsOf(e.record()));
            e.next();
        });
        app.onRecordAfterUpdateSuccess(PROJECTS).bindFunc(e -> {
            accounts.provision(e.record().id(), ProjectSettings.limitsOf(e.record()));
            e.next();
        });
        app.onRecordAfterDeleteSuccess(PROJECTS).bindFunc(e -> {
            accounts.remove(e.record().id());
            e.next();
        });
        app.onRecordUpdate(DomainCollections.USERS).bindFunc(e -> {
            Record user = e.record();
            List<String> dropped = lostRole(user);
            e.next();
            if (dropped.isEmpty()) {
                return;
            }
            Collection projects = app.findCollectionByNameOrId(PROJECTS).orElseThrow();
            List<String> projectIds = new ArrayList<>();
            for (String group : dropped) {
                app.findRecordsByField(projects, "group", group).forEach(p -> projectIds.add(p.id()));
            }
            // a user who left, was removed or became a viewer loses the credentials issued for their former
            // role at once, once that is committed
            app.db().onCommit(() -> projectIds.stream().filter(id -> accounts.accountPublicKey(id).isPresent())
                    .forEach(id -> accounts.revokeMember(id, user.id())));
        });
        onServe.bindFunc(e -> {
            CredentialsApi.bind(e.router(), accounts);
            Actors.bind(e.router());
            e.next();
        });
    }

    /**
     * The groups in which this change takes a role from the user: full memberships given up (left, removed,
     * or made a viewer) and views given up without becoming a member.
     */
    private static List<String> lostRole(Record user) {
        List<String> members = user.getStringList(Memberships.MEMBER_FIELD);
        List<String> viewing = user.getStringList(Memberships.VIEWER_FIELD);
        List<String> lost = new ArrayList<>();
        DomainHooks.originalList(user.original(Memberships.MEMBER_FIELD)).stream()
                .filter(g -> !members.contains(g)).forEach(lost::add);
        DomainHooks.originalList(user.original(Memberships.VIEWER_FIELD)).stream()
                .filter(g -> !viewing.contains(g) && !members.contains(g)).forEach(lost::add);
        return lost;
    }

    /** Every project in the database has its account with its limits; no account outlives its project. */
    static void reconcile(App app, ProjectAccounts accounts) {
        Collection projects = app.findCollectionByNameOrId(PROJECTS).orElseThrow();
        Set<String> ids = new HashSet<>();
        for (Record p : app.findRecordsBySql(projects, "SELECT * FROM \"projects\"", List.of())) {
            ids.add(p.id());
            accounts.provision(p.id(), ProjectSettings.limitsOf(p));
        }
        for (String orphan : accounts.projectIds()) {
            if (!ids.contains(orphan)) {
                accounts.remove(orphan);
            }
        }
        LOG.info("project accounts reconciled: {} project(s)", ids.size());
    }
}
