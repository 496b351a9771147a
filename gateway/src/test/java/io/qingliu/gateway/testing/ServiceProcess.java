package io.qingliu.gateway.testing;

import io.qingliu.kit.auth.Role;
import io.qingliu.kit.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service's packaged jar ({@code ../NAME/target/quarkus-app}) run as its own JVM on a fixed port. */
public final class ServiceProcess {

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    ServiceProcess(String name, int port, Map<String, String> env) {
        this(name, port, env, Path.of("target", name + ".log"));
    }

    private ServiceProcess(String name, int port, Map<String, String> env, Path log) {
        this.name = name;
        this.jar = Path.of("..", name, "target", "quarkus-app", "quarkus-run.jar");
        this.port = port;
        this.env = env;
        this.log = log;
    }

    /**
     * Another instance of the same service (not started): its own port and log file
     * ({@code target/LOGNAME.log}), the same environment with {@code extraEnv} added or replacing,
     * e.g. a second capacity-service on a database of its own.
     */
    public ServiceProcess with(String logName, int port, Map<String, String> extraEnv) {
        Map<String, String> merged = new java.util.HashMap<>(env);
        merged.putAll(extraEnv);
        return new ServiceProcess(name, port, Map.copyOf(merged), Path.of("target", logName + ".log"));
    }

    /** The same service with one setting of its environment left out, logging to a file of its own. */
    public ServiceProcess without(String variable) {
        Map<String, String> fewer = new java.util.HashMap<>(env);
        fewer.remove(variable);
        return new ServiceProcess(name, port, Map.copyOf(fewer),
                Path.of("target", name + "-without-" + variable.toLowerCase() + ".log"));
    }

    /** Everything the process wrote. */
    public String log() {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * project-service on its own database; at first start it imports Ziyang's divisions (its
     * default). Like every process here it verifies tokens with the public key of the suite's test
     * tokens ({@link TestTokens}).
     */
    public static ServiceProcess projectService(int port, PostgresServer postgres, String jdbcUrl) {
        return new ServiceProcess("project-service", port, Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", postgres.user(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password(),
                "QINGLIU_AUTH_PUBLIC_KEY_LOCATION", TestTokens.publicKeyLocation()));
    }

    /**
     * capacity-service on its own database, reading the feed of the project-service on
     * {@code projectPort} with a viewer's token of its own.
     */
    public static ServiceProcess capacityService(int port, PostgresServer postgres, String jdbcUrl, int projectPort) {
        return new ServiceProcess("capacity-service", port, Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", postgres.user(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password(),
                "QUARKUS_GRPC_CLIENTS_PROJECT_HOST", "127.0.0.1",
                "QUARKUS_GRPC_CLIENTS_PROJECT_PORT", Integer.toString(projectPort),
                "QINGLIU_AUTH_PUBLIC_KEY_LOCATION", TestTokens.publicKeyLocation(),
                "QINGLIU_FEED_TOKEN", TestTokens.token("capacity-service", Role.VIEWER, null, Duration.ofHours(12))));
    }

    /** The gateway's own packaged jar, calling the two services on their ports with this deadline per call. */
    public static ServiceProcess gateway(int port, int projectPort, int capacityPort, String deadline) {
        return new ServiceProcess("gateway", port, Map.of(
                "QINGLIU_AUTH_PUBLIC_KEY_LOCATION", TestTokens.publicKeyLocation(),
                "QUARKUS_GRPC_CLIENTS_PROJECT_HOST", "127.0.0.1",
                "QUARKUS_GRPC_CLIENTS_PROJECT_PORT", Integer.toString(projectPort),
                "QUARKUS_GRPC_CLIENTS_CAPACITY_HOST", "127.0.0.1",
                "QUARKUS_GRPC_CLIENTS_CAPACITY_PORT", Integer.toString(capacityPort),
                "QINGLIU_GATEWAY_DEADLINE", deadline,
                // A stopped service should be reported quickly.
                "QINGLIU_GATEWAY_HEALTH_TIMEOUT", "1s"));
    }

    /** A port nobody listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Freezes the process (SIGSTOP): it keeps its connections but answers nothing, like a hung service. */
    public void freeze() {
        signal("STOP");
    }

    /** Lets a frozen process go on (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    private synchronized void signal(String signal) {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True while the process runs. */
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    /**
     * The service's last {@code max} warnings and errors, one line each with the causes of its
     * stack trace appended ("Caused by: ..."), so that a failing test's report, of which CI keeps
     * only the end, shows many of them rather than one stack trace.
     */
    public List<String> problems(int max) {
        List<String> lines;
        try {
            lines = Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e + ")");
        }
        List<String> out = new java.util.ArrayList<>();
        StringBuilder problem = null;
        for (String line : lines) {
            boolean entry = line.length() > 13 && Character.isDigit(line.charAt(0)) && line.charAt(2) == ':';
            if (entry) {
                if (problem != null) {
                    out.add(problem.toString());
                }
                problem = line.contains(" WARN ") || line.contains(" ERROR ") ? new StringBuilder(line) : null;
            } else if (problem != null && line.startsWith("Caused by: ")) {
                problem.append(" | ").append(line);
            }
        }
        if (problem != null) {
            out.add(problem.toString());
        }
        return out.subList(Math.max(0, out.size() - max), out.size());
    }

    public String name() {
        return name;
    }

    /** Starts the process and waits until it is ready; a restart keeps its database and port. */
    public synchronized void start() {
        launch();
        awaitReady(Duration.ofSeconds(180));
    }

    /** Starts the process without waiting for it to be ready (to kill it at a chosen point of its start). */
    public synchronized void launch() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build " + name + " first "
                    + "(mvn -B verify from the repository root builds it before the gateway)");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 20 s). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Kills the process at once (SIGKILL: no shutdown hook, no graceful close, as a crash or the
     * OOM killer does) and waits until it is gone. {@link #start()} starts it again on its database.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        process = null;
    }

    /** The body of its readiness check ({@code /q/health/ready}), or null when it does not answer. */
    public String readiness() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log.toAbsolutePath());
    }
}
