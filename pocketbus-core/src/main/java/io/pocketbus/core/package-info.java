/**
 * The PocketBase application core.
 *
 * <p>{@link io.pocketbus.core.App} is the entry point: {@code App.builder().dataDir(dir).dialect(dialect)
 * .build()}, then {@code bootstrap()} opens data.db and auxiliary.db in PocketBase's v0.23+ layout (creating
 * the system collections on an empty directory) and {@code close()} ends it. Through the app:
 * <ul>
 *   <li>collections ({@link io.pocketbus.core.Collection}, one {@link io.pocketbus.core.Field} class per field
 *       type): find, save (validation + table change in one transaction), delete, truncate, import;</li>
 *   <li>records ({@link io.pocketbus.core.Record}): find, save, delete with relation cascades, body
 *       modifiers, JSON export, expand;</li>
 *   <li>hooks in PocketBase's model: every chain handler calls {@code e.next()}, the default action runs
 *       last ({@code onRecordCreate}, {@code onRecordCreateExecute}, {@code onRecordAfterCreateSuccess}, ...);</li>
 *   <li>record tokens (HS256, {@code tokenKey} + collection secret), settings, logs.</li>
 * </ul>
 * Errors a client may see are {@link io.pocketbus.core.ApiError}s carrying PocketBase's status, message and
 * field {@link io.pocketbus.core.ValidationError}s.
 */
package io.pocketbus.core;
