package io.pocketbus.tools.cron;

/** A scheduled job: its id, its cron expression as given, and what it runs. */
public final class Job {
    private final String id;
    private final String expression;
    private final Schedule schedule;
    private final Runnable action;

    Job(String id, String expression, Schedule schedule, Runnable action) {
        this.id = id;
        this.expression = expression;
        this.schedule = schedule;
        this.action = action;
    }

    public String id() {
        return id;
    }

    public String expression() {
        return expression;
    }

    Schedule schedule() {
        return schedule;
    }

    /** Runs the job now, on the calling thread. */
    public void run() {
        action.run();
    }
}
