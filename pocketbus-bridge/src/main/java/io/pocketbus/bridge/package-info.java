/**
 * Pocketbus's own layer between the app and the broker: the NATS operator Pocketbus runs as
 * ({@link io.pocketbus.bridge.OperatorIdentity}), each project as a broker account with its limits, and the
 * credentials members and services connect with ({@link io.pocketbus.bridge.ProjectAccounts}). The account
 * JWTs are nats.jwt-compatible, so the same credentials work against the embedded broker and against a
 * nats-server in operator mode.
 */
package io.pocketbus.bridge;
