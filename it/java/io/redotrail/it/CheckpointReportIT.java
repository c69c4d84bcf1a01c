package io.redotrail.it;

import io.redotrail.cli.CliAccess;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.replicat.CheckpointTable;
import io.redotrail.replicat.TargetDataSource;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.redotrail.it.ItSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * routes/examples/checkpoint-report.yaml end to end, enabled the documented way (the routes include pattern):
 * beside the real pipeline its timer reads the checkpoint table with {@code jdbc:redotrailTarget} (the
 * DataSource bean of routes/target-datasource.yaml) and reports each group; once the Replicat has applied the
 * workload, a report holds REP1's row exactly as the checkpoint table has it.
 */
class CheckpointReportIT {
    @TempDir
    Path home;

    @Test
    void theReportReadsEachGroupsPositionFromTheTargetThroughCamelJdbc() throws Exception {
        String routes = "file:" + PROJECT.resolve("routes") + "/*.yaml,file:" + PROJECT.resolve("routes/examples/checkpoint-report.yaml");
        Settings s = settings(home, "camel.main.routes-include-pattern", routes, "redotrail.checkpointReport.period", "200");
        CliAccess.Played played = play(s, 300, 41);
        AtomicReference<List<?>> lastReport = new AtomicReference<>();
        EventNotifierSupport reports = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                CamelEvent.ExchangeCompletedEvent done = (CamelEvent.ExchangeCompletedEvent) event;
                if ("checkpoint-report".equals(done.getExchange().getFromRouteId())) {
                    lastReport.set(done.getExchange().getMessage().getBody(List.class));
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeCompletedEvent;
            }
        };
        Pipeline started;
        try (Pipeline p = Pipeline.start(s)) {
            started = p;
            assertEquals(s.get("redotrail.target.jdbcUrl"), p.context().getRegistry().lookupByNameAndType("redotrailTarget", TargetDataSource.class).getUrl(),
                    "the redotrailTarget bean points at the configured target");
            p.context().getManagementStrategy().addEventNotifier(reports);
            ServiceHelper.startService(reports);
            awaitApplied(p, s, played.lastSelectedCsn(), Duration.ofSeconds(120));
            CheckpointTable.Row row = checkpointRow(s).orElseThrow();
            await("a report with REP1 at LOG_CSN " + row.logCsn(), Duration.ofSeconds(30),
                    () -> rep1(lastReport.get()) != null && String.valueOf(row.logCsn().value()).equals(String.valueOf(rep1(lastReport.get()).get("LOG_CSN"))),
                    () -> "last report " + lastReport.get());
            Map<?, ?> reported = rep1(lastReport.get());
            assertEquals(row.position().seqno(), ((Number) reported.get("SEQNO")).longValue(), "SEQNO");
            assertEquals(row.position().rba(), ((Number) reported.get("RBA")).longValue(), "RBA");
            assertNotNull(reported.get("LAST_UPDATE_TS"), "LAST_UPDATE_TS");
            assertTrue(p.context().getRoute("checkpoint-report").getEndpoint().getEndpointUri().startsWith("timer:"));
        }
        assertTrue(started.abends().isEmpty(), "abends: " + abendMessages(started));
    }

    private static Map<?, ?> rep1(List<?> report) {
        if (report == null) return null;
        for (Object r : report) {
            if (r instanceof Map<?, ?> m && REPLICAT.equals(m.get("GROUP_NAME"))) return m;
        }
        return null;
    }
}
