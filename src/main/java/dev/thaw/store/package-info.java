/**
 * Durable state in H2 (or any JDBC database): studies, trials, parameters, per-epoch metrics, scores, artifacts;
 * schema migrations by Flyway. Imports {@code dev.thaw.study}, JDBC, HikariCP and Flyway only.
 */
package dev.thaw.store;
