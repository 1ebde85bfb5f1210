package dev.thaw.study;

/** Where a study stands: running, finished its budget, or stopped (time limit or exhausted space). */
public enum StudyStatus {
    RUNNING, COMPLETE, STOPPED
}
