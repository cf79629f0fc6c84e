package dev.paver.conversation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} on loopback serving the bare repositories of one folder over {@code git://}, with push
 * allowed ({@code --enable=receive-pack}): a git host that cannot create repositories, as Paver meets one with
 * {@code paver.git.remote-url}. Repository {@code <name>} is {@code <folder>/<name>.git}, at
 * {@code git://127.0.0.1:<port>/<name>.git}. Started as a process with an argument list (no shell); {@link #close}
 * ends it. Its log goes to {@code git-daemon.log} beside the folder.
 */
public final class GitDaemon implements AutoCloseable {

    private static final int ATTEMPTS = 3;

    private final Path base;
    private final Process process;
    private final int port;

    private GitDaemon(Path base, Process process, int port) {
        this.base = base;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the daemon on a free loopback port and returns once it accepts connections (at most 10 s per attempt;
     * a port taken meanwhile by someone else is retried with another, three times).
     *
     * @param base the folder of bare repositories, created when missing
     * @throws IllegalStateException when git daemon does not start (not installed, or it exits)
     */
    public static GitDaemon start(Path base) {
        try {
            Path folder = Files.createDirectories(base).toAbsolutePath().normalize();
            Path log = folder.resolveSibling("git-daemon.log");
            String problem = "";
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                int port = freePort();
                Process process = new ProcessBuilder(List.of("git", "daemon", "--reuseaddr", "--base-path=" + folder,
                        "--export-all", "--enable=receive-pack", "--listen=127.0.0.1",
                        "--port=" + port, folder.toString()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                if (listens(process, port)) {
                    return new GitDaemon(folder, process, port);
                }
                stop(process);
                problem = "git daemon did not listen on 127.0.0.1:" + port + " (exit " + (process.isAlive() ? "none" : process.exitValue())
                        + "; log " + log + ")";
            }
            throw new IllegalStateException(problem);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start git daemon: " + e.getMessage(), e);
        }
    }

    /** The base URL Paver is given: {@code git://127.0.0.1:<port>}. */
    public String url() {
        return "git://127.0.0.1:" + port;
    }

    /** The folder of bare repositories it serves. */
    public Path base() {
        return base;
    }

    /** Ends the daemon (and the git processes it started for connections still open). */
    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean listens(Process process, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
