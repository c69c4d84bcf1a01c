package io.redotrail.replicat;

import io.redotrail.core.Transaction;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static io.redotrail.replicat.Tx.img;
import static io.redotrail.replicat.Tx.tx;
import static org.junit.jupiter.api.Assertions.*;

/** The applier as the YAML DSL's bean loader builds it: no-arg constructor, setters, lazy connect. */
class ReplicatYamlBeanTest {
    @TempDir
    Path dir;

    @Test
    void yamlBeanAppliesAndCheckpoints() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("tgt");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA HR");
            s.execute("CREATE TABLE HR.EMP (ID BIGINT PRIMARY KEY, NAME VARCHAR(50))");
        }
        String yaml = """
                - beans:
                    - name: rep1
                      type: io.redotrail.replicat.ReplicatApplier
                      properties:
                        group: REP1
                        home: "%s"
                        jdbcUrl: "%s"
                        user: sa
                        password: ""
                        checkpointTable: OPS.CKPT
                - route:
                    id: replicat
                    from:
                      uri: direct:rep
                      steps:
                        - process:
                            ref: rep1
                """.formatted(dir, url);
        try (CamelContext ctx = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("replicat.yaml", yaml));
            ctx.start();
            ReplicatApplier rep = ctx.getRegistry().lookupByNameAndType("rep1", ReplicatApplier.class);
            assertNotNull(rep);
            assertTrue(rep.startPosition().isEmpty());
            List<Transaction> body = List.of(tx("5.5.5", 42).insert("HR.EMP", img("ID", 7L, "NAME", "Ōtani")).build());
            ctx.createProducerTemplate().sendBody("direct:rep", body);
            assertEquals(1, rep.getAppliedTransactions());
        }
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT E.NAME, K.LOG_CSN FROM HR.EMP E, OPS.CKPT K")) {
            assertTrue(rs.next());
            assertEquals("Ōtani", rs.getString(1));
            assertEquals("42", rs.getString(2));
        }
        assertTrue(Files.exists(dir.resolve("dirchk/REP1.cpr")));
    }
}
