package dev.thaw.web;

import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.StudySummary;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileException;
import dev.thaw.study.yaml.StudyFileReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the study a request names (by id, or by name when the path segment is not a number) and what the pages
 * need from its study file: parameter axes and target classes. Parsed study files are cached by their hash.
 */
final class Studies {
    private final LeaderboardStore leaderboard;
    private final StudyStore studies;
    private final Map<String, Optional<StudySpec>> specs = new ConcurrentHashMap<>();

    Studies(LeaderboardStore leaderboard, StudyStore studies) {
        this.leaderboard = leaderboard;
        this.studies = studies;
    }

    /** @throws NoSuchElementException when no study has that id or name */
    StudySummary summary(String idOrName) {
        Optional<StudySummary> found = idOrName.matches("\\d{1,18}")
                ? leaderboard.study(Long.parseLong(idOrName)) : leaderboard.study(idOrName);
        return found.orElseThrow(() -> new NoSuchElementException("no study '" + idOrName + "'"));
    }

    StudyView view(StudySummary s, Optional<Integer> bestTrial) {
        Optional<StudySpec> spec = spec(s.id());
        List<ParamView> params = new ArrayList<>();
        for (String name : parameterNames(s.id())) {
            ParamSpec p = spec.map(x -> x.space().get(name)).orElse(null);
            params.add(axis(name, p));
        }
        List<Integer> classes = spec.map(x -> x.data().classes()).orElse(List.of());
        return new StudyView(s, s.metric().name().toLowerCase(java.util.Locale.ROOT), bestTrial, params, classes);
    }

    /**
     * The study's parameters, the columns of its leaderboard: its study file's space in the file's order, or, when
     * the stored file does not parse, every parameter its trials record.
     */
    List<String> parameterNames(long studyId) {
        return spec(studyId).map(p -> List.copyOf(p.space().keySet())).orElseGet(() -> leaderboard.parameters(studyId));
    }

    private static ParamView axis(String name, ParamSpec p) {
        if (p instanceof ParamSpec.FloatParam f) {
            return new ParamView(name, f.log() ? "log" : "linear", List.of());
        }
        if (p instanceof ParamSpec.ChoiceParam c) {
            return new ParamView(name, "category", c.values());
        }
        if (p instanceof ParamSpec.FixedParam f && !(f.value() instanceof Number)) {
            return new ParamView(name, "category", List.of(f.value()));
        }
        return new ParamView(name, "linear", List.of());
    }

    /** The study's parsed study file (parsing reads the text alone); empty when the stored text does not parse. */
    Optional<StudySpec> spec(long studyId) {
        StudyRecord record = studies.get(studyId);
        return specs.computeIfAbsent(record.specHash() + ":" + record.id(), k -> {
            try {
                return Optional.of(new StudyFileReader().parse(record.specText()));
            } catch (StudyFileException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
