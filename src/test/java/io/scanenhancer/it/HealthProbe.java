package io.scanenhancer.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks a service's /q/health/ready and /q/health/live over HTTP, as a Kubernetes probe would, every period until
 * closed, and keeps every answer that was not 200 with "UP" (or no answer within 5 s).
 */
final class HealthProbe implements AutoCloseable {
    private static final List<String> PATHS = List.of("/q/health/ready", "/q/health/live");
    private final Thread thread;
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong slowestMs = new AtomicLong();
    private final AtomicInteger lastStatus = new AtomicInteger();
    private volatile boolean running = true;

    private HealthProbe(int port, Duration period) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        thread = new Thread(() -> {
            while (running) {
                for (String path : PATHS) {
                    check(http, port, path);
                }
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "health-probe");
        thread.setDaemon(true);
    }

    static HealthProbe start(int port, Duration period) {
        HealthProbe p = new HealthProbe(port, period);
        p.thread.start();
        return p;
    }

    private void check(HttpClient http, int port, String path) {
        long t = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            lastStatus.set(r.statusCode());
            if (r.statusCode() != 200 || !r.body().contains("\"UP\"")) {
                failures.add(path + " " + r.statusCode() + " " + r.body());
            }
        } catch (Exception e) {
            lastStatus.set(-1);
            failures.add(path + " no answer: " + e);
        }
        slowestMs.accumulateAndGet((System.nanoTime() - t) / 1_000_000, Math::max);
        checks.incrementAndGet();
    }

    long checks() {
        return checks.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    long slowestMs() {
        return slowestMs.get();
    }

    int lastStatus() {
        return lastStatus.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
