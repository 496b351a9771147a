package io.qingliu.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service (capacity-service, the gateway) as a child process of the bench client, so that step 8
 * can stop capacity-service and start it again with other settings in the middle of a step. Its pid
 * is kept in a file that the run script's exit trap reads, and a shutdown hook stops it too, so
 * that it never outlives the run. Each start is sampled for its peak RSS.
 */
final class ServiceProcess {

    private final String name;
    private final List<String> jvmOptions;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private final Path pidFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Rss> starts = new ArrayList<>();
    private Process process;
    private long startedNanos;

    /**
     * @param name       the service, for messages
     * @param jvmOptions e.g. {@code -Xmx512m}, before {@code -jar}
     * @param env        the environment that every start gets (datasource, ports, settings); a start may add to it
     */
    ServiceProcess(String name, List<String> jvmOptions, Path jar, int port, Map<String, String> env, Path log,
            Path pidFile) {
        this.name = name;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.jar = jar;
        this.port = port;
        this.env = new LinkedHashMap<>(env);
        this.log = log;
        this.pidFile = pidFile;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "stop-" + name));
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    /** The JVM options, e.g. {@code -Xmx512m}, for the table. */
    String jvm() {
        return String.join(" ", jvmOptions);
    }

    /** Starts the service with the common environment plus extra; the log is appended to. */
    synchronized void start(Map<String, String> extra) throws IOException {
        if (running()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: build " + name + " (the run script does)");
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "==== bench: start " + (starts.size() + 1) + " at " + LocalTime.now().withNano(0)
                + (extra.isEmpty() ? "" : " with " + extra) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, starts.isEmpty() ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().putAll(extra);
        startedNanos = System.nanoTime();
        process = pb.start();
        Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
        Rss rss = new Rss(process.pid());
        rss.start();
        starts.add(rss);
    }

    /** System.nanoTime() just before the last start. */
    long startedNanos() {
        return startedNanos;
    }

    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** The RSS tracker of the process now running (or last run). */
    synchronized Rss rss() {
        return starts.isEmpty() ? new Rss(0) : starts.get(starts.size() - 1);
    }

    /** Every start's RSS tracker, oldest first. */
    synchronized List<Rss> starts() {
        return List.copyOf(starts);
    }

    /** The process now running (or last run), for its pid. */
    synchronized long pid() {
        return process == null ? 0 : process.pid();
    }

    /** Whether /q/health/ready answers 200 now. */
    boolean ready() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the service is ready; fails when it exits or takes longer than timeoutSeconds. */
    void awaitReady(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!ready()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after " + timeoutSeconds + " s; log: " + tail(20));
            }
            Thread.sleep(200);
        }
    }

    /** Fails, with the end of the log, when the process is not running. */
    void checkAlive() {
        if (!running()) {
            throw new IllegalStateException(name + " is not running"
                    + (process == null ? "" : " (exit " + process.exitValue() + ")") + "; log: " + tail(30));
        }
    }

    /** Stops the service cleanly (SIGTERM), forcibly after 30 s. */
    synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        Rss rss = rss();
        rss.sample();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                System.out.println(name + " did not stop within 30 s of SIGTERM; killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        rss.stop();
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // the run script's trap copes with a stale file (it checks the pid)
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (InterruptedException | RuntimeException e) {
            // exiting anyway
        }
    }

    /** The last lines of the service's log, on one line. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + log + ")";
        }
    }

    Path log() {
        return log;
    }
}
