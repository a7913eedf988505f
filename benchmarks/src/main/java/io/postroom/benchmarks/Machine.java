package io.postroom.benchmarks;

import io.postroom.testing.dovecot.Dovecot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures were measured on. */
record Machine(int cpus, String cpuModel, long ramBytes, String jdk, String os, String dovecot, String mbsync) {

    static Machine describe() {
        String model = "unknown";
        long ram = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    ram = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return new Machine(Runtime.getRuntime().availableProcessors(), model, ram, jdk, os, Dovecot.version(),
                Mbsync.version());
    }

    /** The 1-, 5- and 15-minute load averages. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The 1-minute load average. */
    static double load1() {
        try {
            return Double.parseDouble(load().split(" ")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    String describe(String sep) {
        return String.format(Locale.ROOT, "%d CPUs (%s)%s%.1f GB RAM%s%s%s%s%sDovecot %s%s%s", cpus, cpuModel, sep,
                ramBytes / 1e9, sep, jdk, sep, os, sep, dovecot, sep, mbsync);
    }
}
