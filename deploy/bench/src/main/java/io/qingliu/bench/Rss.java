package io.qingliu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tracks the service's resident set: samples VmRSS of /proc/PID/status periodically (daemon
 * thread) and reads VmHWM, the kernel's own high-water mark over the process's whole life.
 */
final class Rss {
    private final long pid;
    private volatile long maxSampledKb = -1;
    private volatile long lastHwmKb = -1;
    private Thread thread;

    Rss(long pid) {
        this.pid = pid;
    }

    void start() {
        if (pid <= 0) {
            return;
        }
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the sampling thread (the last values read stay). */
    void stop() {
        if (thread != null) {
            sample();
            thread.interrupt();
        }
    }

    long pid() {
        return pid;
    }

    void sample() {
        long rss = field("VmRSS:");
        if (rss > maxSampledKb) {
            maxSampledKb = rss;
        }
        long hwm = field("VmHWM:");
        if (hwm > 0) {
            lastHwmKb = hwm;
        }
    }

    /** VmHWM in KiB (the last value read while the process was alive), -1 when unknown. */
    long hwmKb() {
        sample();
        return lastHwmKb;
    }

    /** VmRSS now, in KiB; -1 when unknown. */
    long currentKb() {
        return field("VmRSS:");
    }

    long maxSampledKb() {
        return maxSampledKb;
    }

    /** CPU seconds (user + system) the process has used so far, NaN when unknown. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime 14 and stime 15 (1-based in proc(5))
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The machine's CPU seconds spent busy (all cores, not idle or iowait), NaN when unknown. */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The 1-minute load average, as text. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or not ours to read
        }
        return -1;
    }
}
