package dev.thaw.run;

import dev.thaw.store.StudyRecord;

/**
 * Gives what this node needs to run a study's trials. Called from trial threads, concurrently; implementations
 * cache what they load (the study's data) and must be thread-safe.
 */
public interface StudyContexts {

    /** The study's context; throws with a one-line reason when this node cannot run it (missing files). */
    StudyContext forStudy(StudyRecord study) throws Exception;
}
