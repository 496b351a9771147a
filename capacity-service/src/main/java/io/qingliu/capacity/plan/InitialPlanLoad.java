package io.qingliu.capacity.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.qingliu.api.capacity.v1.CreatePlanRequest;
import io.qingliu.capacity.support.CapacityConfig;
import io.qingliu.capacity.support.ReadModelLock;
import io.qingliu.kit.grpc.ApiException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * At first start, when there is no plan yet, creates the plans of {@code qingliu.plans.initial-load}
 * (by default Ziyang's 2018–2020 plan, shipped in the service): a JSON array of plans in proto
 * JSON, each created through {@link PlanService#create} with the checks of CreatePlan.
 *
 * <p>Those checks look the plans' areas up in the division read model, which fills from
 * project-service's change feed only after start. So the load runs on a thread of its own: it
 * waits until every area the plans name has arrived (saying so once a minute, and never giving
 * up), then creates all plans in one transaction. A plan that fails its checks is a fault of the
 * file: it is logged with every violation, and nothing is created.
 */
@ApplicationScoped
public class InitialPlanLoad {

    private static final Logger LOG = Logger.getLogger(InitialPlanLoad.class);
    private static final String CLASSPATH = "classpath:";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How often the load looks for the areas it waits for. */
    static final Duration POLL = Duration.ofSeconds(5);
    /** How often it says that it is still waiting. */
    static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private final CapacityConfig config;
    private final PlanService plans;
    private final ReadModelLock readModelLock;
    private final EntityManager em;
    private volatile Thread worker;

    InitialPlanLoad(CapacityConfig config, PlanService plans, ReadModelLock readModelLock, EntityManager em) {
        this.config = config;
        this.plans = plans;
        this.readModelLock = readModelLock;
        this.em = em;
    }

    /** Reads the file at once (a missing or malformed one fails the start), and loads it in the background. */
    void onStart(@Observes StartupEvent event) {
        String source = config.plans().initialLoad().strip();
        if (source.isEmpty() || source.equals("none")) {
            return;
        }
        List<io.qingliu.api.capacity.v1.Plan> toLoad = read(source);
        if (!noPlanYet()) {
            LOG.debugf("initial plan load: plans exist already, %s is not loaded", source);
            return;
        }
        LOG.infof("initial plan load: no plan yet; loading %d plans from %s", toLoad.size(), source);
        Thread thread = new Thread(() -> load(toLoad, POLL), "initial-plan-load");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * The plans of a source: {@code classpath:…} or a file path of a JSON array of plans in proto JSON.
     *
     * @throws IllegalStateException when the source is missing or does not hold such an array
     */
    public static List<io.qingliu.api.capacity.v1.Plan> read(String source) {
        String text;
        try {
            if (source.startsWith(CLASSPATH)) {
                String resource = source.substring(CLASSPATH.length());
                try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("qingliu.plans.initial-load: no resource " + resource);
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else {
                text = Files.readString(Path.of(source));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("qingliu.plans.initial-load: cannot read " + source, e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("qingliu.plans.initial-load: " + source + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalStateException("qingliu.plans.initial-load: " + source + " must hold a JSON array of plans");
        }
        List<io.qingliu.api.capacity.v1.Plan> result = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            var plan = io.qingliu.api.capacity.v1.Plan.newBuilder();
            try {
                JsonFormat.parser().merge(root.get(i).toString(), plan);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("qingliu.plans.initial-load: " + source + ", plan [" + i
                        + "] is not a plan in proto JSON: " + e.getMessage(), e);
            }
            result.add(plan.build());
        }
        return result;
    }

    /**
     * Waits until every area the plans name is in the division read model, polling every
     * {@code poll}, then creates the plans.
     *
     * @return whether the plans were created; false when they failed their checks or the wait was interrupted
     */
    boolean load(List<io.qingliu.api.capacity.v1.Plan> toLoad, Duration poll) {
        Set<String> needed = areaCodes(toLoad);
        long started = System.nanoTime();
        long nextReport = started;
        for (Set<String> missing = missingDivisions(needed); !missing.isEmpty(); missing = missingDivisions(needed)) {
            long now = System.nanoTime();
            if (now - nextReport >= 0) {
                LOG.infof("initial plan load: waiting for the divisions %s to arrive from project-service's change feed"
                        + " (%d s so far)", missing, Duration.ofNanos(now - started).toSeconds());
                nextReport = now + REPORT_EVERY.toNanos();
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.infof("initial plan load: stopped while waiting for %s; no plan was created", missing);
                return false;
            }
        }
        try {
            List<String> created = createAll(toLoad);
            LOG.infof("initial plan load: created %s", created.isEmpty() ? "nothing (every plan exists already)" : created);
            return true;
        } catch (ApiException e) {
            LOG.errorf("initial plan load failed, no plan was created: %s", e.violations().isEmpty() ? e.getMessage()
                    : e.violations().stream().map(v -> v.field() + ": " + v.description())
                            .collect(Collectors.joining("; ")));
            return false;
        } catch (RuntimeException e) {
            LOG.error("initial plan load failed, no plan was created", e);
            return false;
        }
    }

    /** Creates the plans whose code is not taken yet, all or none. */
    @Transactional
    List<String> createAll(List<io.qingliu.api.capacity.v1.Plan> toLoad) {
        readModelLock.acquire();
        List<String> created = new ArrayList<>();
        for (var plan : toLoad) {
            Long taken = em.createQuery("SELECT count(p) FROM Plan p WHERE p.code = :code", Long.class)
                    .setParameter("code", plan.getCode()).getSingleResult();
            if (taken > 0) {
                LOG.infof("initial plan load: a plan with code %s exists already; not loaded again", plan.getCode());
                continue;
            }
            var done = plans.create(CreatePlanRequest.newBuilder().setPlan(plan).build());
            created.add(done.getCode() + " as " + done.getName());
        }
        return created;
    }

    @Transactional
    boolean noPlanYet() {
        return em.createQuery("SELECT 1 FROM Plan p").setMaxResults(1).getResultList().isEmpty();
    }

    /** The codes of {@code codes} not (yet) in the division read model. */
    @Transactional
    Set<String> missingDivisions(Set<String> codes) {
        Set<String> missing = new LinkedHashSet<>(codes);
        if (!codes.isEmpty()) {
            List<?> present = em.createNativeQuery("SELECT code FROM division WHERE code IN (:codes)")
                    .setParameter("codes", codes).getResultList();
            present.forEach(missing::remove);
        }
        return missing;
    }

    private static Set<String> areaCodes(List<io.qingliu.api.capacity.v1.Plan> toLoad) {
        Set<String> codes = new LinkedHashSet<>();
        for (var plan : toLoad) {
            if (!plan.getAreaCode().isEmpty()) {
                codes.add(plan.getAreaCode());
            }
            plan.getCoverageGoalsList().stream().map(g -> g.getAreaCode()).filter(c -> !c.isEmpty()).forEach(codes::add);
        }
        return codes;
    }
}
