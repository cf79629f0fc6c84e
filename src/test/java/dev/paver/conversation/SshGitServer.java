package dev.paver.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * A git host over SSH on loopback: Apache MINA sshd (the library JGit's SSH transport is built on) accepting the
 * public keys of an {@code authorized_keys} file, and running the real {@code git upload-pack} / {@code git receive-pack} on the bare repositories
 * of one folder, as an SSH git host does ({@code ssh://user@127.0.0.1:<port>/<name>.git}). Commands other than
 * those two, or paths other than {@code /<name>.git}, are refused. Processes get argument lists, never a shell.
 */
public final class SshGitServer implements AutoCloseable {

    private static final Pattern GIT_COMMAND = Pattern.compile("git[- ](upload-pack|receive-pack) '/?([A-Za-z0-9][A-Za-z0-9._-]*\\.git)'");

    private final SshServer server;
    private final Path base;

    private SshGitServer(SshServer server, Path base) {
        this.server = server;
        this.base = base;
    }

    /**
     * Starts the server on a free loopback port.
     *
     * @param base           the folder of bare repositories
     * @param hostKey        where the server's host key is kept
     * @param authorizedKeys the public keys that may log in, in OpenSSH's {@code authorized_keys} format
     */
    public static SshGitServer start(Path base, Path hostKey, Path authorizedKeys) {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
        server.setCommandFactory((channel, command) -> new GitPack(base, command));
        try {
            Files.createDirectories(base);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SshGitServer(server, base);
    }

    /** The base URL for {@code user}: {@code ssh://<user>@127.0.0.1:<port>}. */
    public String url(String user) {
        return "ssh://" + user + "@127.0.0.1:" + server.getPort();
    }

    /** A {@code known_hosts} line for this server's host key, as {@code ssh-keyscan} would give it. */
    public String knownHostsLine() {
        PublicKey key;
        try {
            key = server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the host key: " + e.getMessage(), e);
        }
        return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key);
    }

    public Path base() {
        return base;
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One {@code git-upload-pack '/name.git'} or {@code git-receive-pack '/name.git'}, run with the real git. */
    private static final class GitPack implements Command {
        private final Path base;
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Process process;

        GitPack(Path base, String command) {
            this.base = base;
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            Matcher m = GIT_COMMAND.matcher(command);
            if (!m.matches()) {
                err.write(("fatal: not a git command: " + command + "\n").getBytes());
                err.flush();
                exit.onExit(128);
                return;
            }
            process = new ProcessBuilder(List.of("git", m.group(1), base.resolve(m.group(2)).toString())).start();
            Thread toGit = pump(in, process.getOutputStream(), true);
            Thread fromGit = pump(process.getInputStream(), out, false);
            Thread errors = pump(process.getErrorStream(), err, false);
            Thread waiter = new Thread(() -> {
                try {
                    int status = process.waitFor();
                    fromGit.join(10_000);
                    errors.join(10_000);
                    toGit.interrupt();
                    exit.onExit(status);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ssh-git-wait");
            waiter.setDaemon(true);
            waiter.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (process != null) {
                process.destroy();
            }
        }

        private static Thread pump(InputStream from, OutputStream to, boolean closeAfter) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = from.read(buffer)) >= 0; ) {
                        to.write(buffer, 0, n);
                        to.flush();
                    }
                } catch (IOException e) {
                    // the other side closed
                } finally {
                    if (closeAfter) {
                        try {
                            to.close();
                        } catch (IOException ignored) {
                            // closed already
                        }
                    }
                }
            }, "ssh-git-pump");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
