package dev.paver.store;

import dev.paver.core.access.GrantStore;
import dev.paver.core.approval.ApprovalStore;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.run.RunStore;
import dev.paver.slack.SeenRequests;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The stores of runs, approvals, grants, the audit log and the Slack requests already received, all on the one
 * database Spring Boot configures ({@code spring.datasource.*}; the tables are made by the migrations in
 * {@code db/migration}).
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    @Bean
    RunStore runStore(JdbcTemplate jdbc) {
        return new JdbcRunStore(jdbc);
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
    AuditLog auditLog(JdbcTemplate jdbc) {
        return new JdbcAuditLog(jdbc);
    }

    @Bean
    SeenRequests seenSlackRequests(JdbcTemplate jdbc) {
        return new JdbcSeenRequests(jdbc, JdbcSeenRequests.SWEEP_EVERY);
    }
}
