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
 * writes the project changes to the group's activity feed (inside the change's transaction) and serves the
 * credentials endpoints.
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
            Activities.write(app, e.record().getString("group"), "", "project.created", e.record().id());
        });
        app.onRecordUpdate(PROJECTS).bindFunc(e -> {
            e.next();
            Activities.write(app, e.record().getString("group"), "", "project.updated", e.record().id());
        });
        app.onRecordDelete(PROJECTS).bindFunc(e -> {
            Record project = e.record();
            e.next();
            // the group itself may be going in the same cascade, taking its feed along
            if (app.findRecordById(DomainCollections.GROUPS, project.getString("group")).isPresent()) {
                Activities.write(app, project.getString("group"), "", "project.deleted", project.id());
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
            List<String> dropped = DomainHooks.originalList(user.original("groups")).stream()
                    .filter(g -> !user.getStringList("groups").contains(g)).toList();
            e.next();
            if (dropped.isEmpty()) {
                return;
            }
            Collection projects = app.findCollectionByNameOrId(PROJECTS).orElseThrow();
            List<String> projectIds = new ArrayList<>();
            for (String group : dropped) {
                app.findRecordsByField(projects, "group", group).forEach(p -> projectIds.add(p.id()));
            }
            // a member who left or was removed loses the projects' messaging at once, once that is committed
            app.db().onCommit(() -> projectIds.stream().filter(id -> accounts.accountPublicKey(id).isPresent())
                    .forEach(id -> accounts.revokeMember(id, user.id())));
        });
        onServe.bindFunc(e -> {
            CredentialsApi.bind(e.router(), accounts);
            e.next();
        });
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
