package dev.thaw.web;

import dev.thaw.export.BestTrialExporter;
import dev.thaw.export.ExportException;
import dev.thaw.run.StudyControl;
import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.StudySummary;
import dev.thaw.store.TrialQuery;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.StopReason;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialState;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON API's handlers: each reads its parameters, asks a store (or the exporter, or {@link StudyControl}) and
 * returns what it got. Unknown studies and trials are 404, bad parameters 400, illegal state changes 409.
 */
final class StudyApi {
    private static final int DEFAULT_LIMIT = 50;

    private final Studies studies;
    private final LeaderboardStore leaderboard;
    private final TrialStore trials;
    private final BestTrialExporter exporter;
    private final StudyControl control;

    StudyApi(Studies studies, LeaderboardStore leaderboard, TrialStore trials, BestTrialExporter exporter,
             StudyControl control) {
        this.studies = studies;
        this.leaderboard = leaderboard;
        this.trials = trials;
        this.exporter = exporter;
        this.control = control;
    }

    void studies(Context ctx) {
        ctx.json(leaderboard.studies());
    }

    void studyView(Context ctx) {
        StudySummary s = study(ctx);
        ctx.json(studies.view(s, trials.best(s.id(), s.direction()).map(TrialRecord::number)));
    }

    void trials(Context ctx) {
        StudySummary s = study(ctx);
        ctx.json(leaderboard.page(s.id(), s.direction(), query(ctx), studies.parameterNames(s.id())));
    }

    void trial(Context ctx) {
        StudySummary s = study(ctx);
        int number = intParam(ctx.pathParam("number"), "trial number");
        TrialRecord t = trials.list(s.id()).stream().filter(r -> r.number() == number).findFirst()
                .orElseThrow(() -> new NoSuchElementException("study '" + s.name() + "' has no trial " + number));
        ctx.json(detail(s, t));
    }

    void best(Context ctx) {
        StudySummary s = study(ctx);
        TrialRecord t = trials.best(s.id(), s.direction()).orElseThrow(() -> new NoSuchElementException(
                "study '" + s.name() + "' has no COMPLETE trial yet"));
        ctx.json(detail(s, t));
    }

    void charts(Context ctx) {
        StudySummary s = study(ctx);
        ctx.json(ChartData.of(studies.view(s, Optional.empty()).parameters(), trials.list(s.id()), s.direction()));
    }

    /** Every search trial's objective by epoch and the rungs of the study's pruner: {@link EpochChart}. */
    void intermediate(Context ctx) {
        StudySummary s = study(ctx);
        List<dev.thaw.store.TrialCurve> curves = leaderboard.curves(s.id());
        ctx.json(studies.spec(s.id()).map(spec -> EpochChart.of(curves, spec.pruner(), spec.epochs()))
                .orElseGet(() -> EpochChart.unread(curves)));
    }

    void export(Context ctx) throws ExportException {
        StudySummary s = study(ctx);
        String yaml = exporter.studyFile(s.name());
        ctx.header("Content-Disposition", "attachment; filename=\"" + s.id() + "-best.yaml\"");
        ctx.contentType("application/yaml; charset=utf-8").result(yaml);
    }

    void model(Context ctx) throws ExportException, IOException {
        StudySummary s = study(ctx);
        Path model = exporter.bestModel(s.name()).orElseThrow(() -> new NoSuchElementException(
                "study '" + s.name() + "' kept no model for its best trial"));
        ctx.header("Content-Disposition", "attachment; filename=\"" + s.id() + "-best-model.zip\"");
        ctx.header("Content-Length", String.valueOf(Files.size(model)));
        InputStream in = Files.newInputStream(model);
        ctx.contentType("application/zip").result(in);
    }

    void stopStudy(Context ctx) {
        StudySummary s = study(ctx);
        StopRequest body = stopRequest(ctx);
        control.stopStudy(s.id(), body.reason(), body.now());
        ctx.status(202).json(Map.of("message", "study '" + s.name() + "' asked to stop"));
    }

    void stopTrial(Context ctx) {
        StudySummary s = study(ctx);
        int number = intParam(ctx.pathParam("number"), "trial number");
        StopRequest body = stopRequest(ctx);
        if (control.stopTrial(s.id(), number, body.reason())) {
            ctx.status(200).json(Map.of("message", "trial " + number + " was paused: it is stopped, its checkpoint "
                    + "deleted"));
        } else {
            ctx.status(202).json(Map.of("message", "trial " + number + " asked to stop at its next batch"));
        }
    }

    StudySummary study(Context ctx) {
        return studies.summary(ctx.pathParam("study"));
    }

    /** The body of a stop request: {@code {"reason": "...", "now": false}}. */
    record StopRequest(String reason, boolean now) {
    }

    private static StopRequest stopRequest(Context ctx) {
        StopRequest body;
        try {
            body = ctx.bodyAsClass(StopRequest.class);
        } catch (Exception e) { // Jackson's parse errors arrive undeclared
            throw new BadRequestResponse("the body must be JSON like {\"reason\": \"why\", \"now\": false}");
        }
        if (body == null) {
            throw new BadRequestResponse("the body must be JSON like {\"reason\": \"why\", \"now\": false}");
        }
        try {
            StopReason.check(body.reason());
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        return body;
    }

    private TrialDetail detail(StudySummary s, TrialRecord t) {
        Optional<dev.thaw.study.DataSpec> data = studies.spec(s.id()).map(StudySpec::data);
        List<Integer> classes = data.map(d -> d.classes()).orElse(List.of());
        List<String> names = data.map(d -> d.classNames()).orElse(List.of());
        boolean best = trials.best(s.id(), s.direction()).map(b -> b.id() == t.id()).orElse(false);
        return new TrialDetail(t, trials.epochs(t.id()),
                trials.report(t.id(), "validation", classes).map(r -> TrialDetail.Report.of(r, names)),
                trials.report(t.id(), "test", classes).map(r -> TrialDetail.Report.of(r, names)),
                best, best && trials.artifact(t.id(), "model").filter(Files::isRegularFile).isPresent(),
                trials.misclassified(t.id()), trials.pauses(t.id()));
    }

    private static TrialQuery query(Context ctx) {
        String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("rank");
        String order = Optional.ofNullable(ctx.queryParam("order")).orElse("asc").toLowerCase(Locale.ROOT);
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new BadRequestResponse("order must be asc or desc, got '" + order + "'");
        }
        Set<TrialState> states = EnumSet.noneOf(TrialState.class);
        for (String list : ctx.queryParams("state")) {
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    states.add(state(name.trim()));
                }
            }
        }
        Optional<TrialQuery.ParamFilter> filter = Optional.ofNullable(ctx.queryParam("param")).map(p ->
                new TrialQuery.ParamFilter(p, Optional.ofNullable(ctx.queryParam("value")).map(v -> value(v, p)),
                        Optional.ofNullable(ctx.queryParam("min")).map(v -> number(v, "min", p)),
                        Optional.ofNullable(ctx.queryParam("max")).map(v -> number(v, "max", p))));
        int limit = Optional.ofNullable(ctx.queryParam("limit")).map(v -> intParam(v, "limit")).orElse(DEFAULT_LIMIT);
        int offset = Optional.ofNullable(ctx.queryParam("offset")).map(v -> intParam(v, "offset")).orElse(0);
        return new TrialQuery(sort, order.equals("asc"), states, filter, limit, offset);
    }

    private static TrialState state(String name) {
        try {
            return TrialState.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("unknown state '" + name + "'; use " + List.of(TrialState.values()));
        }
    }

    private static int intParam(String value, String what) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(what + " must be a whole number, got '" + value + "'");
        }
    }

    /** A bound of a range filter on parameter {@code param}: a finite number. */
    private static double number(String value, String what, String param) {
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(what + " of parameter '" + param + "' must be a number, got '" + value + "'");
        }
        if (!Double.isFinite(d)) {
            throw new BadRequestResponse(what + " of parameter '" + param + "' must be a finite number, got '"
                    + value + "'");
        }
        return d;
    }

    /** The value of an equality filter on parameter {@code param}: any text, but not a number beyond a double's range. */
    private static String value(String value, String param) {
        try {
            if (!Double.isFinite(Double.parseDouble(value))) {
                throw new BadRequestResponse("value of parameter '" + param + "' must be a finite number or a text, "
                        + "got '" + value + "'");
            }
        } catch (NumberFormatException e) {
            // a text value
        }
        return value;
    }
}
