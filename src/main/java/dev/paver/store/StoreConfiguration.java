package dev.paver.store;

import dev.paver.core.access.GrantStore;
import dev.paver.core.approval.ApprovalStore;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.report.PostLog;
import dev.paver.core.run.HeldBack;
import dev.paver.core.run.RunStore;
import dev.paver.slack.SeenRequests;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The stores of runs, approvals, grants, Slack posts, the Slack requests already received and the audit log, all on
 * the one database Spring Boot configures ({@code spring.datasource.*}; the tables are made by the migrations in
 * {@code db/migration}).
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(StoreConfiguration.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The runs, leased as this process: a replica id made once per start ({@link #replicaId}). */
    @Bean
    RunStore runStore(JdbcTemplate jdbc) {
        JdbcRunStore store = new JdbcRunStore(jdbc, replicaId(hostName()));
        String url = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getURL());
        if (oneProcessOnly(url)) {
            int cleared = store.clearLeases();
            if (cleared > 0) {
                LOG.info("{} runs were held by a process that stopped in the middle of a pass: they go on now", cleared);
            }
        } else {
            LOG.info("runs are leased as replica {}", store.owner());
        }
        return store;
    }

    /**
     * True for a database that only this process can open while it runs: H2 in a file, embedded (H2 locks the file;
     * not {@code AUTO_SERVER}, not a server's {@code tcp:}/{@code ssl:} URL, not {@code mem:}, which other stores
     * of the same process may share).
     */
    static boolean oneProcessOnly(String url) {
        String u = url == null ? "" : url.toLowerCase(Locale.ROOT);
        return u.startsWith("jdbc:h2:") && !u.startsWith("jdbc:h2:mem:") && !u.startsWith("jdbc:h2:tcp:")
                && !u.startsWith("jdbc:h2:ssl:") && !u.contains("auto_server=true");
    }

    /**
     * A replica's owner id: {@code host} (a pod's name in Kubernetes) cut to 80 characters of letters, digits, dots
     * and dashes, a dash and 8 random hex digits, so that a restarted pod with the same name is another owner.
     */
    static String replicaId(String host) {
        String name = host == null ? "" : host.replaceAll("[^A-Za-z0-9.-]", "");
        if (name.isEmpty()) {
            name = "paver";
        }
        return name.substring(0, Math.min(80, name.length())) + "-" + String.format("%08x", RANDOM.nextInt());
    }

    /** {@code HOSTNAME} (set in containers: the pod's name), else the host's name, else empty. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }

    @Bean
    ApprovalStore approvalStore(JdbcTemplate jdbc) {
        return new JdbcApprovalStore(jdbc);
    }

    @Bean
    GrantStore grantStore(JdbcTemplate jdbc) {
        return new JdbcGrantStore(jdbc);
    }

    @Bean
    HeldBack heldBack(JdbcTemplate jdbc) {
        return new JdbcHeldBack(jdbc);
    }

    @Bean
    PostLog postLog(JdbcTemplate jdbc) {
        return new JdbcPostLog(jdbc);
    }

    @Bean
    AuditLog auditLog(JdbcTemplate jdbc) {
        return new JdbcAuditLog(jdbc);
    }

    @Bean
    SeenRequests seenSlackRequests(JdbcTemplate jdbc) {
        return new JdbcSeenRequests(jdbc, JdbcSeenRequests.SWEEP_EVERY);
    }
}
