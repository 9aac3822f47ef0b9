package io.scanenhancer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scanenhancer.job.ErrorCode;
import io.scanenhancer.job.StageTimings;
import io.scanenhancer.pipeline.PipelineListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's Prometheus meters (scraped at /q/metrics). Names and tags are listed in README "Metrics"; tags stay
 * low-cardinality (outcome, error code, stage) and never carry study UIDs or patient data.
 */
@ApplicationScoped
public class ServiceMetrics implements PipelineListener {
    public static final String REQUESTS = "scanenhancer.requests";
    public static final String DEAD_LETTERS = "scanenhancer.dead.letters";
    public static final String STAGE = "scanenhancer.stage";
    public static final String IN_FLIGHT = "scanenhancer.studies.in.flight";
    public static final String LAG = "scanenhancer.consumer.lag";
    public static final String FALLBACK_FRAMES = "scanenhancer.model.fallback.frames";
    public static final String MODEL_FALLBACK = "scanenhancer.model.fell.back.to.bicubic";

    @Inject
    MeterRegistry registry;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicInteger modelFellBack = new AtomicInteger();
    private Counter fallbackFrames;

    @jakarta.annotation.PostConstruct
    void register() {
        // strong references: registry.gauge(name, obj) holds its object weakly, and a collected one drops out of the scrape
        io.micrometer.core.instrument.Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get).strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder(LAG, lag, AtomicLong::get).strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder(MODEL_FALLBACK, modelFellBack, AtomicInteger::get).strongReference(true).register(registry);
        fallbackFrames = Counter.builder(FALLBACK_FRAMES)
                .description("Frames the out-of-distribution guard interpolated (bicubic) instead of the model")
                .register(registry);
        for (String stage : new String[]{"retrieve", "enhance", "store", "total"}) {
            stageTimer(stage); // present (at zero) from the start, so a scrape before the first study sees them
        }
        // the same for every outcome and code a counter can carry: a rate or an alert on a series that appears only
        // with its first event sees nothing before it, and an absent series cannot be told from a scrape that failed
        requests("succeeded", "none");
        for (ErrorCode code : ErrorCode.values()) {
            if (code.transientFailure()) {
                requests("retried", code.code());
            }
            if (code != ErrorCode.KAFKA_UNAVAILABLE) { // only tried again, never dead-lettered
                requests("failed", code.code());
                deadLetters(code.code());
            }
        }
    }

    @Override
    public void started() {
        inFlight.incrementAndGet();
    }

    @Override
    public void finished() {
        inFlight.decrementAndGet();
    }

    @Override
    public void succeeded(StageTimings t) {
        requests("succeeded", "none").increment();
        stageTimer("retrieve").record(Duration.ofMillis(t.retrieveMs()));
        stageTimer("enhance").record(Duration.ofMillis(t.enhanceMs()));
        stageTimer("store").record(Duration.ofMillis(t.storeMs()));
        stageTimer("total").record(Duration.ofMillis(t.totalMs()));
    }

    @Override
    public void failed(String errorCode) {
        requests("failed", errorCode).increment();
        deadLetters(errorCode).increment();
    }

    @Override
    public void retrying(String errorCode) {
        requests("retried", errorCode).increment();
    }

    @Override
    public void lag(long records) {
        lag.set(records);
    }

    @Override
    public void modelFellBack(boolean fellBack) {
        modelFellBack.set(fellBack ? 1 : 0);
    }

    @Override
    public void fallbackFrames(int frames) {
        fallbackFrames.increment(frames);
    }

    private Counter requests(String outcome, String errorCode) {
        return Counter.builder(REQUESTS).description("Request records handled, by outcome and error code")
                .tag("outcome", outcome).tag("error_code", errorCode).register(registry);
    }

    private Counter deadLetters(String errorCode) {
        return Counter.builder(DEAD_LETTERS).description("Request records dead-lettered, by error code")
                .tag("error_code", errorCode).register(registry);
    }

    private Timer stageTimer(String stage) {
        return Timer.builder(STAGE).description("Job stage durations of successful studies").tag("stage", stage)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(30)).register(registry);
    }
}
