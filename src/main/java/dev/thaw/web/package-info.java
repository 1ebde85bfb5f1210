/**
 * The leaderboard in the browser: a Javalin server for the pages in {@code web/}, a JSON API over the study
 * database, live updates by server-sent events, downloads of the best configuration and model, and stop actions
 * through {@code run}'s {@code StudyControl}. Imports study, store, export and that one interface of run.
 */
package dev.thaw.web;
