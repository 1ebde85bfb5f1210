package dev.thaw.run;

import dev.thaw.store.StudyRecord;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.source.SourceModel;
import dev.thaw.train.StudyEnvironment;
import dev.thaw.train.fit.Dl4jTrialTrainer;
import dev.thaw.train.data.TargetData;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Study contexts built from the study file stored with each study: the data is read once per study on this node and
 * shared by its trials. Every node needs the study's data and model files at the paths the study file names.
 */
public final class Dl4jStudyContexts implements StudyContexts {
    private final Map<Long, Entry> loaded = new ConcurrentHashMap<>();
    private final String thawVersion;

    public Dl4jStudyContexts(String thawVersion) {
        this.thawVersion = thawVersion;
    }

    private record Entry(String specHash, StudyContext context) {
    }

    /** Uses an already loaded study (the one this process was started for) instead of loading it again. */
    public void put(StudyRecord study, StudyContext context) {
        loaded.put(study.id(), new Entry(study.specHash(), context));
    }

    @Override
    public synchronized StudyContext forStudy(StudyRecord study) throws Exception {
        Entry cached = loaded.get(study.id());
        if (cached != null && cached.specHash().equals(study.specHash())) {
            return cached.context();
        }
        StudySpec spec = new StudyEnvironment().files(new StudyFileReader().parse(study.specText()));
        SourceModel source = SourceModel.load(spec); // once per study in this process, for all its trials
        TargetData data = TargetData.forStudy(spec, source.input());
        StudyContext fresh = new StudyContext(spec, new Dl4jTrialTrainer(spec, data, source), environment(data));
        put(study, fresh);
        return fresh;
    }

    /** The provenance of trials run on {@code data} by this process. */
    public RunEnvironment environment(TargetData data) {
        return new RunEnvironment(data.fingerprint(), thawVersion, Dl4jTrialTrainer.dl4jVersion(),
                System.getProperty("java.version"));
    }
}
