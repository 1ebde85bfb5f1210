package dev.thaw.web;

import dev.thaw.store.StudySummary;

import java.util.List;
import java.util.Optional;

/**
 * A study's page header: its summary, the metric that ranks trials, the number of its best trial (ties go to the
 * earlier trial), its parameters and its target classes.
 */
record StudyView(StudySummary study, String metric, Optional<Integer> bestTrial, List<ParamView> parameters,
                 List<Integer> classes) {
}
