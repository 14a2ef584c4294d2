package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.tools.cron.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/crons}: list the app's cron jobs and run one now (superusers only). */
final class CronApi {
    private static final String SYSTEM_PREFIX = "__pb";

    private CronApi() {
    }

    static void bind(RouterGroup api) {
        RouterGroup crons = api.group("/crons").bind(Middlewares.requireSuperuserAuth());
        crons.get("", CronApi::list);
        crons.post("/{id}", CronApi::run);
    }

    /** {@code [{"id","expression"}]}: the user's jobs by id, then the system {@code __pb*} ones. */
    private static void list(RequestEvent e) {
        List<Job> jobs = new ArrayList<>(e.app().cron().jobs());
        jobs.sort(Comparator.comparing((Job j) -> j.id().startsWith(SYSTEM_PREFIX)).thenComparing(Job::id));
        List<Map<String, String>> out = new ArrayList<>();
        for (Job job : jobs) {
            Map<String, String> item = new LinkedHashMap<>();
            item.put("id", job.id());
            item.put("expression", job.expression());
            out.add(item);
        }
        e.json(200, out);
    }

    /** Starts the job in the background and answers 204 at once, as PocketBase. */
    private static void run(RequestEvent e) {
        String id = e.pathParam("id");
        Job job = e.app().cron().jobs().stream().filter(j -> j.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiError.notFound("Missing or invalid cron job"));
        Thread.ofVirtual().name("pocketbus-cron-" + id).start(() -> {
            try {
                job.run();
            } catch (RuntimeException ex) {
                e.app().logs().write(io.pocketbus.core.LogEntry.ERROR, "Cron job failed",
                        Map.of("jobId", id, "error", String.valueOf(ex.getMessage())));
            }
        });
        e.noContent(204);
    }
}
