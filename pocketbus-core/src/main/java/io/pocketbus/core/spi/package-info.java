/**
 * Where storage engines plug into the core: a {@link io.pocketbus.core.spi.Dialect} opens a
 * {@link io.pocketbus.core.spi.ConnectionPool} (one serialised writer, a pool of readers) per database file.
 * The core only sees {@code java.sql}; the SQLite implementation lives in {@code io.pocketbus.db.sqlite}.
 */
package io.pocketbus.core.spi;
