package io.redotrail.cli.ggsci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GGSCI's ER forms and wildcards on a real home: INFO, LAG, STATS, SEND and STATUS over every group a pattern
 * matches, each group answered as if named alone; unknown INFO options refused.
 */
class GroupsCommandTest {
    @TempDir
    Path home;

    private GgsciOut ggsci(String command) throws Exception {
        return GgsciOut.run(home, k -> null, command);
    }

    private void groups() throws Exception {
        for (String c : new String[]{"add extract pump1, exttrailsource ./dirdat/ex", "add rmttrail ./dirdat/ha, extract pump1",
                "add extract pump2, exttrailsource ./dirdat/ex", "add replicat rep1, exttrail ./dirdat/ha"}) {
            assertEquals(0, ggsci(c).rc(), c);
        }
    }

    @Test
    void statusOfOneGroupAndOfAPattern() throws Exception {
        groups();
        GgsciOut one = ggsci("status pump1");
        assertEquals(0, one.rc(), one.text());
        assertTrue(one.text().matches("EXTRACT PUMP1: \\S+\n"), one.text());
        GgsciOut all = ggsci("status er *");
        assertEquals(0, all.rc(), all.text());
        assertEquals(3, all.text().lines().count(), all.text());
        assertTrue(all.text().startsWith("EXTRACT PUMP1: ") && all.text().contains("\nEXTRACT PUMP2: ")
                && all.text().contains("\nREPLICAT REP1: "), all.text());
        assertEquals(2, ggsci("status extract pump*").text().lines().count());
        assertTrue(ggsci("status extract nope*").text().contains("ERROR: No EXTRACT groups match NOPE*."));
        assertTrue(ggsci("status er nope*").text().contains("ERROR: No EXTRACT or REPLICAT groups match NOPE*."));
    }

    @Test
    void infoOfEveryGroupWithoutNamingTheProgram() throws Exception {
        groups();
        for (String c : new String[]{"info *", "info er *"}) {
            GgsciOut o = ggsci(c);
            assertEquals(0, o.rc(), o.text());
            int pump1 = o.text().indexOf("EXTRACT    PUMP1"), pump2 = o.text().indexOf("EXTRACT    PUMP2"),
                    rep1 = o.text().indexOf("REPLICAT   REP1");
            assertTrue(pump1 >= 0 && pump2 > pump1 && rep1 > pump2, c + ":\n" + o.text());
        }
        GgsciOut rep = ggsci("info er rep*");
        assertTrue(rep.text().contains("REPLICAT   REP1") && !rep.text().contains("PUMP"), rep.text());
    }

    @Test
    void lagStatsAndSendNameEachGroupTheyCouldNotReach() throws Exception {
        groups();
        for (String c : new String[]{"lag *", "lag er *", "stats er pump*", "send er *, status", "lag extract pump*"}) {
            GgsciOut o = ggsci(c);
            assertEquals(1, o.rc(), c + ": " + o.text());
            assertTrue(o.text().contains("PUMP1") && o.text().contains("PUMP2"), c + ": " + o.text());
            assertEquals(c.contains("pump") ? 2 : 3, o.text().lines().filter(l -> l.startsWith("ERROR:")).count(), c + ": " + o.text());
        }
    }

    @Test
    void unknownInfoOptionsAreRefused() throws Exception {
        groups();
        GgsciOut o = ggsci("info extract pump1, foobar");
        assertEquals(1, o.rc(), o.text());
        assertTrue(o.text().contains("Unknown option 'foobar' for INFO EXTRACT (it takes DETAIL, SHOWCH)"), o.text());
        assertEquals(0, ggsci("info extract pump1, showch 3, detail").rc());
        GgsciOut t = ggsci("info rmttrail ./dirdat/ha, foo");
        assertTrue(t.rc() == 1 && t.text().contains("Unknown option 'foo' for INFO RMTTRAIL (it takes none)"), t.text());
    }
}
