package com.retentionhub.analytics;

import com.retentionhub.platform.SqlDialect;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How a view reads: in one read-only, repeatable-read transaction, so its several queries see the
 * same moment (the funnel and its step stages cannot disagree because a step ran in between), and
 * on PostgreSQL with more sort and hash memory than the small default, so a million-row aggregate
 * is hashed in memory instead of sorted through temporary files, and without JIT compilation.
 */
@Component
public class AnalyticsReads {

    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final String workMem;

    public AnalyticsReads(PlatformTransactionManager transactions, JdbcTemplate jdbc, SqlDialect dialect,
            @Value("${hub.analytics.work-mem:64MB}") String workMem) {
        this.tx = new TransactionTemplate(transactions);
        this.tx.setReadOnly(true);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.jdbc = jdbc;
        this.dialect = dialect;
        if (!workMem.matches("\\d{1,6}(kB|MB|GB)")) {
            throw new IllegalArgumentException("hub.analytics.work-mem must look like 64MB");
        }
        this.workMem = workMem;
    }

    public <T> T read(Supplier<T> view) {
        return tx.execute(s -> {
            if (dialect.isPostgres()) {
                jdbc.execute("SET LOCAL work_mem = '" + workMem + "'");
                // Compiling each query costs more than it saves at this size (tens of ms per query).
                jdbc.execute("SET LOCAL jit = off");
            }
            return view.get();
        });
    }
}
