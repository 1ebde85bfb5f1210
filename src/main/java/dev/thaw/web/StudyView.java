package dev.thaw.web;

import dev.thaw.store.StudySummary;

import java.util.List;

/** A study's page header: its summary, the metric that ranks trials, its parameters and its target classes. */
record StudyView(StudySummary study, String metric, List<ParamView> parameters, List<Integer> classes) {
}
