package dev.thaw.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.thaw.export.BestTrialExporter;
import dev.thaw.export.ExportException;
import dev.thaw.run.StudyControl;
import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Printable;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The leaderboard server: pages from the classpath's {@code /web} (the repository's {@code web/} folder), the
 * charting library from its WebJar under {@code /webjars}, the JSON API under {@code /api}, and live updates.
 * Reads the study database only; stops go through {@link StudyControl}.
 */
public final class WebServer implements AutoCloseable {
    /** How often the event stream looks for changes. */
    static final Duration EVENT_INTERVAL = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;
    private final EventHub events;
    private final WebOptions options;
    private final Optional<String> token;

    private WebServer(Javalin app, EventHub events, WebOptions options, Optional<String> token) {
        this.app = app;
        this.events = events;
        this.options = options;
        this.token = token;
    }

    /** What the server reads and whom it asks to stop work. */
    public record Sources(StudyStore studies, TrialStore trials, LeaderboardStore leaderboard,
                          BestTrialExporter exporter, StudyControl control) {
    }

    /**
     * Starts serving.
     *
     * @throws WebServerException when the address cannot be bound (say, the port is in use)
     */
    public static WebServer start(WebOptions options, Sources sources) {
        Optional<String> token = options.token().or(() -> options.loopback() ? Optional.empty() : Optional.of(newToken()));
        EventHub events = new EventHub(sources.leaderboard(), EVENT_INTERVAL);
        Studies studies = new Studies(sources.leaderboard(), sources.studies());
        StudyApi api = new StudyApi(studies, sources.leaderboard(), sources.trials(), sources.exporter(),
                sources.control());
        AllowedHosts hosts;
        try {
            hosts = AllowedHosts.lookUp(options.host(), options.allowedHosts());
        } catch (IllegalArgumentException e) {
            throw new WebServerException(e.getMessage());
        }
        Guard guard = new Guard(hosts, token);
        Javalin app = Javalin.create(config -> configure(config, guard, api, events));
        try {
            app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            events.close();
            app.stop();
            if (causedBy(e, BindException.class)) {
                throw new WebServerException("cannot listen on " + options.host() + ":" + options.port()
                        + ": the port is in use or the address is not this machine's; choose another with --port "
                        + "(or --host)");
            }
            throw new WebServerException("cannot start the web server on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage());
        }
        return new WebServer(app, events, options, token);
    }

    private static void configure(JavalinConfig config, Guard guard, StudyApi api, EventHub events) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.generateEtags = true;
        config.jsonMapper(new JavalinJackson(mapper(), false));
        config.jetty.modifyServer(server -> server.setErrorHandler(new HeadersOnErrors()));
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/web";
            files.location = Location.CLASSPATH;
        });
        config.staticFiles.enableWebjars();
        var r = config.routes;
        r.before(guard::check);
        r.beforeMatched(guard::checkToken);
        r.get("/api/studies", api::studies);
        r.get("/api/studies/{study}", api::studyView);
        r.get("/api/studies/{study}/trials", api::trials);
        r.get("/api/studies/{study}/trials/{number}", api::trial);
        r.get("/api/studies/{study}/best", api::best);
        r.get("/api/studies/{study}/charts", api::charts);
        r.get("/api/studies/{study}/intermediate", api::intermediate);
        r.get("/api/studies/{study}/export", api::export, Guard.Needs.TOKEN);
        r.get("/api/studies/{study}/model", api::model, Guard.Needs.TOKEN);
        r.post("/api/studies/{study}/stop", api::stopStudy, Guard.Needs.TOKEN);
        r.post("/api/studies/{study}/trials/{number}/stop", api::stopTrial, Guard.Needs.TOKEN);
        r.sse("/api/events", events::watchAll);
        // an unknown study is a 404 before the stream opens (a stream that opened would be reconnected forever)
        r.beforeMatched("/api/studies/{study}/events", api::study);
        r.sse("/api/studies/{study}/events", client -> events.watchStudy(api.study(client.ctx()).id(), client));
        r.exception(NoSuchElementException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        r.exception(ExportException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        r.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        r.exception(IllegalStateException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
        r.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            // the exception's text may hold request values: escaped here; its stack trace with --verbose
            LOG.error("internal error answering {} {}: {}", ctx.method(), Printable.of(ctx.path()),
                    Printable.of(e.toString()));
            LOG.debug("the internal error's stack trace", e);
            error(ctx, 500, "internal error; see the server's log");
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, 404, "nothing at " + ctx.method() + " " + ctx.path());
            }
        });
    }

    private static void error(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        ctx.status(status).json(body);
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** The token stop actions and downloads must carry, when the server has one. */
    public Optional<String> token() {
        return token;
    }

    /** The address to open in a browser; it carries the token (in the fragment, which browsers do not send). */
    public String url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port() + "/" + token.map(t -> "#token=" + t).orElse("");
    }

    @Override
    public void close() {
        events.close();
        app.stop();
    }
}
