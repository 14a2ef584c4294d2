package io.pocketbus.bridge;

import io.pocketbus.core.Record;
import java.util.List;

/** A project record's messaging settings as {@link ProjectLimits}: a field left at 0 (unset) means unlimited. */
public final class ProjectSettings {
    static final List<String> LIMIT_FIELDS = List.of("maxConnections", "maxPayload", "jetStreamMemory",
            "jetStreamStorage", "maxStreams", "maxConsumers");

    private ProjectSettings() {
    }

    public static ProjectLimits limitsOf(Record project) {
        return new ProjectLimits(limit(project, "maxConnections"), limit(project, "maxPayload"),
                limit(project, "jetStreamMemory"), limit(project, "jetStreamStorage"),
                limit(project, "maxStreams"), limit(project, "maxConsumers"));
    }

    private static long limit(Record project, String field) {
        Object v = project.get(field);
        long n = v instanceof Number num ? num.longValue() : 0;
        return n > 0 ? n : -1;
    }
}
